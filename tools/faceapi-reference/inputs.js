// What reference.js and recognition.js share: the four fixed input images and the files' hashes.
'use strict';
const fs = require('fs');
const crypto = require('crypto');

// mulberry32: a tiny seeded generator, so the "random" image is the same on every run.
function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6D2B79F5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Four size x size RGB images (seeded random, a gradient, constant 128, the face crop in facePath), each size*size*3
// integers 0..255, row-major height x width x RGB.
function makeInputs(size, seed, facePath) {
  const rand = mulberry32(seed);
  const random = Array.from({ length: size * size * 3 }, () => Math.floor(rand() * 256));
  const gradient = [];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const s = size - 1;
      gradient.push(Math.round((255 * x) / s), Math.round((255 * y) / s), Math.round((255 * (s - x + y)) / (2 * s)));
    }
  }
  const constant = new Array(size * size * 3).fill(128);
  const face = JSON.parse(fs.readFileSync(facePath, 'utf8')).pixels;
  if (face.length !== size * size * 3) throw new Error(`${facePath}: expected ${size * size * 3} values, got ${face.length}`);
  return { names: ['random', 'gradient', 'constant', 'astronaut-face'], pixels: [random, gradient, constant, face] };
}

const sha256 = (file) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

module.exports = { makeInputs, sha256 };
