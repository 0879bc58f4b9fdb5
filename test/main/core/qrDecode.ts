/** Paints a QR module matrix as a phone camera would see it (quiet zone, several pixels a module) and decodes it with jsQR. */
import jsQR from 'jsqr';

export const decodeQrMatrix = (m: { size: number; modules: string }, scale = 4): string | null => {
  const quiet = 4;
  const width = (m.size + 2 * quiet) * scale;
  const pixels = new Uint8ClampedArray(width * width * 4).fill(255);
  for (let row = 0; row < m.size; row++)
    for (let col = 0; col < m.size; col++) {
      if (m.modules[row * m.size + col] !== '1') continue;
      for (let y = 0; y < scale; y++)
        for (let x = 0; x < scale; x++) {
          const at = (((row + quiet) * scale + y) * width + (col + quiet) * scale + x) * 4;
          pixels[at] = pixels[at + 1] = pixels[at + 2] = 0;
        }
    }
  return jsQR(pixels, width, width)?.data ?? null;
};
