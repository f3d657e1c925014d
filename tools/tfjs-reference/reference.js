// Runs the @vladmandic/human emotion graph (emotion.json + its .bin shards) with TF.js's pure-JS cpu backend on
// four fixed 64x64 gray images and writes inputs and outputs as JSON: the fixture the C# importer is tested against.
//
// usage: node reference.js MODELS/vladmandic-human-3.3.6/models/emotion.json OUT.json [face-crop-64.json]
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const tf = require('@tensorflow/tfjs');

const POOLED_NODE = 'StatefulPartitionedCall/model_1/add_2/add';
const LOGITS_NODE = 'StatefulPartitionedCall/model_1/global_average_pooling2d_1/Mean';
const OUTPUT_NODE = 'Identity';
const SIZE = 64;

// tfjs-node's file:// loader is not available with the pure-JS package, so hand the artifacts over in memory.
function loadArtifacts(jsonPath) {
  const json = JSON.parse(fs.readFileSync(jsonPath, 'utf8'));
  const weightSpecs = [];
  const buffers = [];
  for (const group of json.weightsManifest) {
    weightSpecs.push(...group.weights);
    for (const p of group.paths) buffers.push(fs.readFileSync(path.join(path.dirname(jsonPath), p)));
  }
  const all = Buffer.concat(buffers);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
  return {
    artifacts: { modelTopology: json.modelTopology, weightSpecs, weightData, format: json.format,
      generatedBy: json.generatedBy, convertedBy: json.convertedBy, userDefinedMetadata: json.userDefinedMetadata },
    sha256: crypto.createHash('sha256').update(all).digest('hex'),
  };
}

// mulberry32: a tiny seeded generator, so the "random" image is the same on every run.
function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6D2B79F5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeInputs(facePath) {
  const rand = mulberry32(20260601);
  const random = Array.from({ length: SIZE * SIZE }, () => Math.floor(rand() * 256));
  const gradient = [];
  for (let y = 0; y < SIZE; y++) for (let x = 0; x < SIZE; x++) gradient.push(Math.round((255 * (x + 2 * y)) / (3 * (SIZE - 1))));
  const constant = new Array(SIZE * SIZE).fill(128);
  const face = JSON.parse(fs.readFileSync(facePath, 'utf8')).pixels;
  if (face.length !== SIZE * SIZE) throw new Error(`${facePath}: expected ${SIZE * SIZE} pixels, got ${face.length}`);
  return { names: ['random', 'gradient', 'constant', 'astronaut-face'], pixels: [random, gradient, constant, face] };
}

async function main() {
  const [jsonPath, outPath, facePath = path.join(__dirname, 'face-crop-64.json')] = process.argv.slice(2);
  if (!jsonPath || !outPath) throw new Error('usage: node reference.js emotion.json OUT.json [face-crop-64.json]');
  await tf.setBackend('cpu');
  const { artifacts, sha256 } = loadArtifacts(jsonPath);
  const model = await tf.loadGraphModel(tf.io.fromMemory(artifacts));
  const inputs = makeInputs(facePath);

  const pixels = tf.tensor4d(inputs.pixels.flat(), [inputs.pixels.length, SIZE, SIZE, 1], 'float32');
  // human src/gear/emotion.ts: the face tensor is in [0,1] (facemeshutil.ts divides the crop by 255), then
  // gray = sum(rgb * [0.2989, 0.5870, 0.1140]); input = (gray - 0.5) * 2. Our images are gray already.
  const normalized = tf.mul(tf.sub(tf.div(pixels, 255), 0.5), 2);
  const [probs, pooledSource, logits] = model.execute(normalized, [OUTPUT_NODE, POOLED_NODE, LOGITS_NODE]);
  const pooled = tf.mean(pooledSource, [1, 2]);

  const round = (rows) => rows.map((r) => r.map((v) => Number(v.toPrecision(9))));
  const fixture = {
    generator: 'tools/tfjs-reference/reference.js',
    tfjs: tf.version.tfjs,
    backend: tf.getBackend(),
    weightsSha256: sha256,
    preprocessing: 'input = (pixels / 255 - 0.5) * 2, pixels gray in [0,255] (human 3.3.6 src/gear/emotion.ts)',
    inputs,
    outputs: {
      [OUTPUT_NODE]: round(await probs.array()),
      [LOGITS_NODE]: round(await logits.array()),
      [`mean(${POOLED_NODE}, [1,2])`]: round(await pooled.array()),
    },
    pooledShape: pooledSource.shape,
  };
  fs.writeFileSync(outPath, JSON.stringify(fixture) + '\n');
  console.log(`${outPath}: ${inputs.names.length} inputs; tfjs ${tf.version.tfjs} (${tf.getBackend()}); pooled node shape ${pooledSource.shape}`);
  for (let i = 0; i < inputs.names.length; i++) console.log(inputs.names[i], fixture.outputs[OUTPUT_NODE][i].map((v) => v.toFixed(4)).join(' '));
}

main().catch((e) => { console.error(e.message || e); process.exit(1); });
