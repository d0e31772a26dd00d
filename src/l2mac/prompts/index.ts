import type { Domain } from '../run-state.ts';
import { bookPrompts } from './book.ts';
import { codebasePrompts } from './codebase.ts';
import type { PromptSet } from './types.ts';

export function promptsFor(domain: Domain): PromptSet {
  return domain === 'book' ? bookPrompts : codebasePrompts;
}
