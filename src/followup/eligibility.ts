/** The follow-up rule lives with the run states, where the control unit enforces it too. */
export { canFollowUp } from '../l2mac/run-state.ts';
