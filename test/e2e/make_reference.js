// Makes reference outputs for Sinter's end-to-end tests by running ONNX Runtime (onnxruntime-node) on the
// test models with deterministic inputs. See README.md for how to regenerate.
//
//   cd test/e2e && ONNXRUNTIME_NODE_INSTALL=skip npm ci && node make_reference.js
'use strict';
const fs = require('fs');
const path = require('path');
const ort = require('onnxruntime-node');

const root = path.resolve(__dirname, '..', '..');
const models = path.join(root, 'test', 'models');
const out = path.join(__dirname, 'reference');

// name, model (relative to test/models), inputs: [name, dtype, shape, kind]
const f32 = (name, shape) => [name, 'float32', shape, 'uniform'];
const ids = (name, shape) => [name, 'int64', shape, 'ids'];
const mask = (name, shape) => [name, 'int64', shape, 'mask'];
const cases = [
  ['mlp_op13', 'mlp_op13.onnx', [f32('x', [2, 16])]],
  ['mlp_op17', 'mlp_op17.onnx', [f32('x', [2, 16])]],
  ['gpt2_op13', 'gpt2_op13.onnx', [ids('input_ids', [1, 8])]],
  ['gpt2_op17', 'gpt2_op17.onnx', [ids('input_ids', [1, 8])]],
  ['gpt2_dyn_op17', 'gpt2_dyn_op17.onnx', [ids('input_ids', [1, 8])]],
  ['gpt2_dyn_op17_t5', 'gpt2_dyn_op17.onnx', [ids('input_ids', [1, 5])]],
  ['bert_op13', 'bert_op13.onnx', [ids('input_ids', [1, 8]), mask('attention_mask', [1, 8])]],
  ['bert_op17', 'bert_op17.onnx', [ids('input_ids', [1, 8]), mask('attention_mask', [1, 8])]],
  ['resnet_op13', 'resnet_op13.onnx', [f32('x', [1, 3, 32, 32])]],
  ['resnet_op17', 'resnet_op17.onnx', [f32('x', [1, 3, 32, 32])]],
  ['longconv_op13', 'longconv_op13.onnx', [f32('x', [1, 8, 64])]],
  ['longconv_op17', 'longconv_op17.onnx', [f32('x', [1, 8, 64])]],
  ['longconv_dft_op17', 'longconv_dft_op17.onnx', [f32('x', [1, 64, 8])]],
  ['matmul_external', 'external/matmul_external.onnx', [f32('X', [2, 16])]],
];

// mulberry32: a small, well-known 32-bit PRNG; the seed is per case (its index + 1).
function mulberry32(seed) {
  return function () {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeInput(rand, [name, dtype, shape, kind]) {
  const n = shape.reduce((a, b) => a * b, 1);
  if (dtype === 'float32') {
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = rand() * 2 - 1;
    return new ort.Tensor('float32', data, shape);
  }
  const data = new BigInt64Array(n);
  const last = shape[shape.length - 1];
  for (let i = 0; i < n; i++) {
    if (kind === 'ids') data[i] = BigInt(Math.floor(rand() * 64)); // the models' vocabulary is 64
    else data[i] = BigInt(i % last < last - 2 ? 1 : 0); // mask: the last two positions are padding
  }
  return new ort.Tensor('int64', data, shape);
}

const npyDescr = { float32: '<f4', float64: '<f8', int64: '<i8', int32: '<i4', bool: '|b1', uint8: '|u1', int8: '|i1' };

// NumPy .npy format version 1.0: magic, version, little-endian header length, a Python dict literal padded
// with spaces and a newline so that the data starts at a multiple of 64 bytes.
function writeNpy(file, tensor) {
  const shape = tensor.dims.length === 1 ? `(${tensor.dims[0]},)` : `(${tensor.dims.join(', ')})`;
  let header = `{'descr': '${npyDescr[tensor.type]}', 'fortran_order': False, 'shape': ${shape}, }`;
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 10 - 1, ' ') + '\n';
  const prefix = Buffer.alloc(10);
  prefix.write('\x93NUMPY', 0, 'latin1');
  prefix[6] = 1;
  prefix[7] = 0;
  prefix.writeUInt16LE(header.length, 8);
  const data = tensor.type === 'bool' ? Buffer.from(tensor.data.map((b) => (b ? 1 : 0))) : Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
  fs.writeFileSync(file, Buffer.concat([prefix, Buffer.from(header, 'latin1'), data]));
}

const safe = (name) => name.replace(/[^A-Za-z0-9_.-]/g, '_');

function maxAbsDiff(a, b) {
  let m = 0;
  for (let i = 0; i < a.data.length; i++) m = Math.max(m, Math.abs(Number(a.data[i]) - Number(b.data[i])));
  return m;
}

async function main() {
  fs.rmSync(out, { recursive: true, force: true });
  for (const [index, [name, model, inputs]] of cases.entries()) {
    const rand = mulberry32(index + 1);
    const feeds = {};
    for (const spec of inputs) feeds[spec[0]] = makeInput(rand, spec);
    const modelPath = path.join(models, model);
    const opts = { executionProviders: ['cpu'], intraOpNumThreads: 1 };
    const session = await ort.InferenceSession.create(modelPath, opts);
    const plain = await ort.InferenceSession.create(modelPath, { ...opts, graphOptimizationLevel: 'disabled' });
    const results = await session.run(feeds);
    const unoptimized = await plain.run(feeds);
    const dir = path.join(out, name);
    fs.mkdirSync(path.join(dir, 'inputs'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'outputs'), { recursive: true });
    const record = { model: path.join('test', 'models', model), seed: index + 1, ort: '1.30.0', inputs: [], outputs: [] };
    for (const [n, t] of Object.entries(feeds)) {
      writeNpy(path.join(dir, 'inputs', safe(n) + '.npy'), t);
      record.inputs.push({ name: n, file: 'inputs/' + safe(n) + '.npy', dtype: t.type, shape: t.dims });
    }
    let sanity = 0;
    for (const n of session.outputNames) {
      const t = results[n];
      writeNpy(path.join(dir, 'outputs', safe(n) + '.npy'), t);
      sanity = Math.max(sanity, maxAbsDiff(t, unoptimized[n]));
      record.outputs.push({ name: n, file: 'outputs/' + safe(n) + '.npy', dtype: t.type, shape: t.dims });
    }
    record.max_abs_diff_optimized_vs_unoptimized = sanity;
    fs.writeFileSync(path.join(dir, 'case.json'), JSON.stringify(record, null, 2) + '\n');
    console.log(`${name}: ${record.outputs.map((o) => `${o.name}[${o.shape}]`).join(' ')}  ort opt-vs-noopt ${sanity.toExponential(2)}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
