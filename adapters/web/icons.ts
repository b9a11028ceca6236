import { crc32, deflateSync } from 'node:zlib';

/** The app icon's colours: the page's header blue and white. */
const BLUE = [0x0f, 0x3d, 0x6e] as const;
const WHITE = [0xff, 0xff, 0xff] as const;

/**
 * Is the point (`x`, `y`, in units of the icon's side, 0–1) on the speech bubble? A rounded
 * rectangle with a tail at the lower left, the same shape as `icon.svg`.
 */
function onBubble(x: number, y: number): boolean {
  const [left, top, right, bottom, r] = [0.2, 0.24, 0.8, 0.66, 0.1];
  const cx = Math.min(Math.max(x, left + r), right - r);
  const cy = Math.min(Math.max(y, top + r), bottom - r);
  if (x >= left && x <= right && y >= top && y <= bottom && (x - cx) ** 2 + (y - cy) ** 2 <= r * r) return true;
  // The tail: a triangle (0.3,0.64) (0.46,0.64) (0.3,0.8).
  return y >= 0.64 && y <= 0.8 && x >= 0.3 && x <= 0.3 + (0.8 - y);
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** The app icon as a `size`×`size` RGB PNG (maskable: the bubble stays inside the safe zone). */
export function iconPng(size: number): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y += 1) {
    const row = Buffer.alloc(1 + size * 3);
    for (let x = 0; x < size; x += 1) {
      const [r, g, b] = onBubble((x + 0.5) / size, (y + 0.5) / size) ? WHITE : BLUE;
      row.set([r, g, b], 1 + x * 3);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The same icon as SVG (the page's favicon, and browsers that take SVG icons). */
export const ICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">
<rect width="100" height="100" fill="#0f3d6e"/>
<rect x="20" y="24" width="60" height="42" rx="10" fill="#fff"/>
<path d="M30 64h16L30 80z" fill="#fff"/>
</svg>
`;
