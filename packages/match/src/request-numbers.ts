/**
 * The number of the next request an owner sends a helper or shard thread, as the Int32Array control word
 * that carries it holds it: a count that wraps from 2^31 - 1 to -2^31. Kept as a plain `++seq`, the owner's
 * count would reach 2^31 after about two billion requests (weeks of upload checks at a few thousand a
 * second), the word would hold -2^31, and the owner would wait for ever for an answer numbered 2^31.
 */
export function nextRequestNumber(seq: number): number {
  return (seq + 1) | 0;
}
