/**
 * The file *Save as a file* writes on the confirmation page. It lands in the Downloads folder, where someone
 * else may see its name or its first lines in a preview: so the name is neutral (`notes-2026-12-06.txt`) and
 * so is the top of the file (a plain title and the date); the case number and PIN come after. Pure.
 */

/** `notes-YYYY-MM-DD.txt`, with the date as the person's own calendar shows it. */
export function caseFileName(now: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `notes-${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}.txt`;
}

export interface CaseFileWords {
  title: string;
  date: string;
  caseNumberLabel: string;
  pinLabel: string;
  /** A heading and one line per named item (item-names.ts), or nothing. */
  items: string[];
  checkAt: string;
  private: string;
}

/** The file's text: a neutral title and the date first, then what to keep. */
export function caseFileText(caseNumber: string, pin: string, words: CaseFileWords): string {
  return [words.title, words.date, '', `${words.caseNumberLabel}: ${caseNumber}`, `${words.pinLabel}: ${pin}`, '', ...(words.items.length > 0 ? [...words.items, ''] : []), words.checkAt, words.private, ''].join('\n');
}
