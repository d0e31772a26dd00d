/**
 * Gives the npm ports of Node's modules Node 20's `inspect` and `format` (`inspect.ts`, `format.ts`) in
 * place of the `util` port's outdated ones: the assert port captures `require('util/').inspect` when it
 * loads and builds its "+ actual - expected" diffs with it. Imported before the assert port (ES modules
 * evaluate their imports in order), so the port loads with these.
 */
import util from 'util/util.js';
import { format } from './format.ts';
import { inspect } from './inspect.ts';

util.inspect = inspect;
util.format = format;
