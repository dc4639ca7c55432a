/**
 * Flesch–Kincaid grade level of a text: 0.39 × words per sentence + 11.8 × syllables per word − 15.59.
 * Syllables are counted by the usual vowel-group rule (a silent final "e" dropped, at least one per word),
 * good to about one grade, which is what a "grade 8 or lower" check needs.
 */
export function syllables(word: string): number {
  const w = word.toLowerCase().replace(/[^a-z]/g, '');
  if (w.length === 0) return 0;
  if (w.length <= 3) return 1;
  const trimmed = w.replace(/(?:[^laeiouy]es|ed|[^laeiouy]e)$/, '').replace(/^y/, '');
  return Math.max(1, (trimmed.match(/[aeiouy]{1,2}/g) ?? []).length);
}

export function fleschKincaidGrade(text: string): { grade: number; words: number; sentences: number } {
  // Each line of a list or heading reads as its own sentence.
  const sentences = text.split(/[.!?]+|\n+/).map((s) => s.trim()).filter((s) => /[a-z]/i.test(s));
  const words = text.split(/\s+/).filter((w) => /[a-z]/i.test(w));
  const syllableCount = words.reduce((sum, w) => sum + syllables(w), 0);
  const grade = 0.39 * (words.length / sentences.length) + 11.8 * (syllableCount / words.length) - 15.59;
  return { grade: Math.round(grade * 10) / 10, words: words.length, sentences: sentences.length };
}
