/**
 * The first bytes of HEIF files, for checks that tell HEIC by its bytes: an ISO BMFF file-type box with the
 * brands a camera writes, then a media-data box of filler. Not decodable pictures (nothing in takedown decodes
 * HEVC, which is why HEIC is turned away); a real AVIF, which is decoded, is made with sharp where needed.
 */

/** An ISO BMFF box: 32-bit size, 4-letter type, body. */
export function isoBox(type: string, body: Uint8Array): Buffer {
  const box = Buffer.alloc(8 + body.length);
  box.writeUInt32BE(box.length, 0);
  box.write(type, 4, 'latin1');
  box.set(body, 8);
  return box;
}

/** A file-type box: the major brand, minor version 0, then the compatible brands. */
export function fileTypeBox(major: string, compatible: readonly string[]): Buffer {
  return isoBox('ftyp', Buffer.concat([Buffer.from(major, 'latin1'), Buffer.alloc(4), ...compatible.map((brand) => Buffer.from(brand, 'latin1'))]));
}

/** The brands an iPhone writes in its HEIC photos. */
export const IPHONE_HEIC_BRANDS = { major: 'heic', compatible: ['mif1', 'MiHE', 'miaf', 'MiHB', 'heic'] } as const;

/** A file that starts as an HEIF file with these brands (an iPhone's HEIC photo by default). */
export function heifFileStart(brands: { major: string; compatible: readonly string[] } = IPHONE_HEIC_BRANDS): Buffer {
  return Buffer.concat([fileTypeBox(brands.major, brands.compatible), isoBox('mdat', Buffer.alloc(512, 0x5a))]);
}
