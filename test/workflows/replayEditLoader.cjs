/**
 * Webpack loader for test/workflows/replayGuard.test.ts: makes one deliberate edit to a workflow's source before it
 * is bundled, so the test can show that replaying the recorded histories catches an incompatible change. Options:
 * `swap: [a, b]` exchanges two words everywhere in the file; `replace: [[from, to], ...]` replaces texts. An edit that
 * finds nothing to change fails the build, since a guard test that edited nothing would prove nothing.
 */
module.exports = function replayEditLoader(source) {
  const { swap, replace } = this.getOptions();
  let edited = source;
  for (const word of [...(swap ?? []), ...(replace ?? []).map(([from]) => from)])
    if (!source.includes(word))
      throw new Error(`${this.resourcePath} no longer holds "${word}": update the guard`);
  if (swap) {
    const [a, b] = swap;
    edited = edited
      .split(a)
      .map((part) => part.split(b).join(a))
      .join(b);
  }
  for (const [from, to] of replace ?? []) edited = edited.split(from).join(to);
  if (edited === source) throw new Error(`the edit of ${this.resourcePath} changed nothing`);
  return edited;
};
