/** The worker runtime bundled into one string (`build/worker-runtime-plugin.ts`). */
declare module 'virtual:l2mac-worker-runtime' {
  const source: string;
  export default source;
}
