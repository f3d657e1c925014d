// Runs MediaPipe's face mesh, iris and blendshape models (the ONNX files of assets/mediapipe) with onnxruntime-node on
// inputs someone else wrote, and prints their outputs as JSON on stdout: the reference AffectFuse's ONNX Runtime path
// (C#, Microsoft.ML.OnnxRuntime) is checked against (tests/.../MediaPipe/MediaPipeParityTests.cs).
//
// Usage: node reference.js <folder holding the three .onnx files> <inputs.json>
// inputs.json: { "mesh": [b64, …], "iris": [b64, …], "blendshapes": [b64, …] }, each b64 a little-endian float32 array:
//   mesh [1,3,192,192] RGB in 0–1, iris [1,3,64,64] RGB in 0–1, blendshapes [1,146,2] points in pixels.
// Output: { runtime, sha256: {file: hex}, mesh: [{points: [1404], presence: logit}], iris: [{contour: [213], iris: [15]}],
//           blendshapes: [[52]] } — float32 values as JSON numbers (exact: every float32 is a double).
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const ort = require('onnxruntime-node');

const floats = b64 => {
  const bytes = Buffer.from(b64, 'base64');
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
};

async function open(folder, file) {
  // One thread, as AffectFuse runs them.
  return ort.InferenceSession.create(path.join(folder, file), { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential' });
}

async function runAll(session, inputs, dims, read) {
  const results = [];
  for (const b64 of inputs) {
    const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', floats(b64), dims) });
    results.push(read(out));
  }
  return results;
}

async function main() {
  const [folder, inputsPath] = process.argv.slice(2);
  if (!folder || !inputsPath) throw new Error('usage: node reference.js <models folder> <inputs.json>');
  const inputs = JSON.parse(fs.readFileSync(inputsPath, 'utf8'));
  const files = ['face_landmark.onnx', 'iris_landmark.onnx', 'face_blendshapes.onnx'];
  const [mesh, iris, blendshapes] = await Promise.all(files.map(f => open(folder, f)));
  const list = t => Array.from(t.data);
  const result = {
    runtime: `onnxruntime-node ${ort.env.versions.node}`,
    sha256: Object.fromEntries(files.map(f => [f, crypto.createHash('sha256').update(fs.readFileSync(path.join(folder, f))).digest('hex')])),
    mesh: await runAll(mesh, inputs.mesh, [1, 3, 192, 192], o => ({ points: list(o.conv2d_20), presence: o.conv2d_30.data[0] })),
    iris: await runAll(iris, inputs.iris, [1, 3, 64, 64], o => ({ contour: list(o.output_eyes_contours_and_brows), iris: list(o.output_iris) })),
    blendshapes: await runAll(blendshapes, inputs.blendshapes, [1, 146, 2], o => list(o['StatefulPartitionedCall:0'])),
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

main().catch(e => { console.error(e); process.exit(1); });
