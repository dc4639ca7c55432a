/** Reads the binary PPM (P6) and PGM (P5) files of the test vectors (maxval 255). Test helper only. */
export interface Netpbm {
  width: number;
  height: number;
  channels: 1 | 3;
  pixels: Uint8Array;
}

export function readNetpbm(bytes: Uint8Array): Netpbm {
  const tokens: string[] = [];
  let at = 0;
  while (tokens.length < 4) {
    while (at < bytes.length && /\s/.test(String.fromCharCode(bytes[at]))) at++;
    if (bytes[at] === 35) {
      while (at < bytes.length && bytes[at] !== 10) at++;
      continue;
    }
    let token = '';
    while (at < bytes.length && !/\s/.test(String.fromCharCode(bytes[at]))) token += String.fromCharCode(bytes[at++]);
    tokens.push(token);
  }
  at++; // the single whitespace after maxval
  const [magic, w, h, maxval] = tokens;
  if ((magic !== 'P6' && magic !== 'P5') || maxval !== '255') throw new Error(`unsupported netpbm header ${tokens.join(' ')}`);
  const channels = magic === 'P6' ? 3 : 1;
  const width = Number(w);
  const height = Number(h);
  return { width, height, channels, pixels: bytes.subarray(at, at + width * height * channels) };
}
