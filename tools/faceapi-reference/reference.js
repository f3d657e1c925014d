// Runs @vladmandic/face-api 1.7.15's FaceExpressionNet, FaceLandmark68Net and FaceLandmark68TinyNet (loaded by
// face-api itself from the *-weights_manifest.json + .bin files) with TF.js's pure-JS cpu backend on four fixed
// 112x112 RGB images and writes inputs and outputs as JSON: the fixture the C# ports are tested against.
//
// usage: node reference.js MODELS/vladmandic-face-api-1.7.15/model OUT.json [face-crop-112.json]
'use strict';
const fs = require('fs');
const path = require('path');
const { makeInputs, sha256 } = require('./inputs');
// The node-wasm build takes TF.js from @tensorflow/tfjs (it also registers the wasm backend, which we do not use).
const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');

const { tf } = faceapi;
const SIZE = 112;
const NETS = {
  expression: { net: faceapi.nets.faceExpressionNet, file: 'face_expression_model' },
  landmark68: { net: faceapi.nets.faceLandmark68Net, file: 'face_landmark_68_model' },
  landmark68Tiny: { net: faceapi.nets.faceLandmark68TinyNet, file: 'face_landmark_68_tiny_model' },
};

const round = (rows) => rows.map((r) => r.map((v) => Number(v.toPrecision(9))));

async function main() {
  const [modelDir, outPath, facePath = path.join(__dirname, 'face-crop-112.json')] = process.argv.slice(2);
  if (!modelDir || !outPath) throw new Error('usage: node reference.js MODEL_DIR OUT.json [face-crop-112.json]');
  await tf.setBackend('cpu');
  await tf.ready();
  const weights = {};
  for (const [key, { net, file }] of Object.entries(NETS)) {
    await net.loadFromDisk(modelDir);
    weights[key] = { manifest: `${file}-weights_manifest.json`, bin: `${file}.bin`, binSha256: sha256(path.join(modelDir, `${file}.bin`)),
      manifestSha256: sha256(path.join(modelDir, `${file}-weights_manifest.json`)) };
  }
  const inputs = makeInputs(SIZE, 20260601, facePath);

  // Hand the nets tensors (a NetInput of 3-D 112x112x3 tensors, batch mode), not images: the fixture measures the nets,
  // not decoding. toBatchTensor(112) neither pads nor resizes a square 112x112 input.
  const images = inputs.pixels.map((p) => tf.tensor3d(p, [SIZE, SIZE, 3], 'float32'));
  const netInput = () => new faceapi.NetInput(images, true);
  const out = {};
  const expr = NETS.expression.net;
  out.expressionProbabilities = round(await expr.forwardInput(netInput()).array());
  out.expressionLogits = round(await expr.runNet(netInput()).array());
  out.expressionBottleneck = round(await expr.faceFeatureExtractor.forwardInput(netInput()).as2D(images.length, -1).array());
  for (const key of ['landmark68', 'landmark68Tiny']) {
    const { net } = NETS[key];
    out[`${key}Raw`] = round(await net.runNet(netInput()).array());
    out[`${key}Bottleneck`] = round(await net.faceFeatureExtractor.forwardInput(netInput()).as2D(images.length, -1).array());
    // forwardInput = runNet + postProcess; for a square input at the net's size postProcess is the identity.
    const post = await net.forwardInput(netInput()).array();
    const maxDiff = Math.max(...post.flat().map((v, i) => Math.abs(v - out[`${key}Raw`].flat()[i])));
    if (maxDiff > 1e-6) throw new Error(`${key}: postProcess changed a square input's landmarks by ${maxDiff}`);
  }

  const fixture = {
    generator: 'tools/faceapi-reference/reference.js',
    faceApi: faceapi.version,
    tfjs: tf.version.tfjs,
    backend: tf.getBackend(),
    weights,
    preprocessing: 'face-api FaceFeatureExtractor.forwardInput: (rgb - [122.782, 117.001, 104.298]) / 255, rgb NHWC in [0,255]',
    classNames: ['neutral', 'happy', 'sad', 'angry', 'fearful', 'disgusted', 'surprised'],
    inputs: { names: inputs.names, size: SIZE, layout: 'NHWC RGB uint8, base64 per image', rgbBase64: inputs.pixels.map((p) => Buffer.from(p).toString('base64')) },
    outputs: out,
  };
  fs.writeFileSync(outPath, JSON.stringify(fixture) + '\n');
  console.log(`${outPath}: ${inputs.names.length} inputs; face-api ${faceapi.version}, tfjs ${tf.version.tfjs} (${tf.getBackend()})`);
  for (let i = 0; i < inputs.names.length; i++) {
    const p = out.expressionProbabilities[i];
    console.log(inputs.names[i].padEnd(16), fixture.classNames[p.indexOf(Math.max(...p))].padEnd(10), p.map((v) => v.toFixed(4)).join(' '));
  }
}

main().catch((e) => { console.error(e.stack || e.message || e); process.exit(1); });
