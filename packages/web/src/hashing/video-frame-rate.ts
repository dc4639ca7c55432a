/**
 * The frame rate vPDQ reads: ffprobe's `avg_frame_rate` of the video stream, which sets the stride and the
 * timestamps. ffmpeg takes it from different places per container, and so does this module:
 * - Matroska / WebM: the video track's DefaultDuration (matroskadec.c: 1e9 / DefaultDuration), even when the
 *   frames are shown at a variable rate — a VFR file flagged 30 fps is hashed every 30 frames;
 * - otherwise (MP4, MOV …): frames / duration, which mediabunny's packet statistics give.
 */
import type { InputVideoTrack } from 'mediabunny';

const ID = { segment: 0x18538067, tracks: 0x1654ae6b, trackEntry: 0xae, trackType: 0x83, defaultDuration: 0x23e383 };
const EBML_MAGIC = 0x1a45dfa3;
/** Tracks sit before the first cluster; a header larger than this is not looked through. */
const HEADER_BYTES = 1 << 20;

export async function containerFrameRate(file: Blob, track: InputVideoTrack): Promise<number> {
  const head = new Uint8Array(await file.slice(0, HEADER_BYTES).arrayBuffer());
  const nanoseconds = matroskaVideoDefaultDuration(head);
  if (nanoseconds) return 1e9 / nanoseconds;
  return (await track.computePacketStats()).averagePacketRate;
}

interface Element {
  id: number;
  start: number;
  end: number;
}

/** Reads an EBML variable-length number at `offset`: the ID keeps its length marker, a size does not. */
function readVint(bytes: Uint8Array, offset: number, keepMarker: boolean): { value: number; length: number } | undefined {
  const first = bytes[offset];
  if (first === undefined || first === 0) return undefined;
  const length = Math.clz32(first) - 23;
  if (offset + length > bytes.length) return undefined;
  let value = keepMarker ? first : first & (0xff >> length);
  for (let i = 1; i < length; i++) value = value * 256 + bytes[offset + i];
  // All ones means "unknown size" (live WebM): the element runs to the end of what we have.
  const unknown = !keepMarker && value === 2 ** (7 * length) - 1;
  return { value: unknown ? Infinity : value, length };
}

function* children(bytes: Uint8Array, start: number, end: number): Generator<Element> {
  let offset = start;
  while (offset < Math.min(end, bytes.length)) {
    const id = readVint(bytes, offset, true);
    if (!id) return;
    const size = readVint(bytes, offset + id.length, false);
    if (!size) return;
    const dataStart = offset + id.length + size.length;
    const dataEnd = Math.min(dataStart + size.value, bytes.length);
    yield { id: id.value, start: dataStart, end: dataEnd };
    if (size.value === Infinity) return;
    offset = dataEnd;
  }
}

function readUint(bytes: Uint8Array, element: Element): number {
  let value = 0;
  for (let i = element.start; i < element.end; i++) value = value * 256 + bytes[i];
  return value;
}

/** The DefaultDuration (ns) of the first video track of a Matroska file's header, or undefined. */
export function matroskaVideoDefaultDuration(bytes: Uint8Array): number | undefined {
  const top = [...children(bytes, 0, bytes.length)];
  if (top[0]?.id !== EBML_MAGIC) return undefined;
  const segment = top.find((e) => e.id === ID.segment);
  if (!segment) return undefined;
  for (const level1 of children(bytes, segment.start, segment.end)) {
    if (level1.id !== ID.tracks) continue;
    for (const entry of children(bytes, level1.start, level1.end)) {
      if (entry.id !== ID.trackEntry) continue;
      let type = 0;
      let duration = 0;
      for (const field of children(bytes, entry.start, entry.end)) {
        if (field.id === ID.trackType) type = readUint(bytes, field);
        if (field.id === ID.defaultDuration) duration = readUint(bytes, field);
      }
      if (type === 1) return duration || undefined;
    }
    return undefined;
  }
  return undefined;
}
