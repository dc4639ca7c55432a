import { randomBytes } from 'node:crypto';

/** A multipart/form-data body with text fields and one file, as a browser or a platform's uploader sends it. */
export function multipart(fields: Record<string, string>, file?: { bytes: Buffer; type?: string; name?: string; field?: string }): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----takedown${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'file'}"; filename="${file.name ?? 'upload.jpg'}"\r\nContent-Type: ${file.type ?? 'image/jpeg'}\r\n\r\n`));
    parts.push(file.bytes, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
