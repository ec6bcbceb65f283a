// Times ONNX Runtime (onnxruntime-node 1.30, CPU execution provider) on one model, the same way
// sinter-bench times a Sinter module, so that bench/run_bench.py can interleave the two:
//
//   node ort_bench.js MODEL.onnx --input NAME=FILE.npy ... [--threads N] [--repeat N] [--warmup N] [--times FILE]
//                     [--output-dir DIR]
//
// One session (intra-op threads = N, inter-op 1, sequential execution, all graph optimizations), feeds
// built once, --warmup untimed runs, then --repeat runs each timed alone with a monotonic clock. Prints
// min / mean / max and, last, "median_ms: X"; --times writes every run's milliseconds, one per line;
// --output-dir writes the last run's float32 outputs as DIR/<name>.npy (the driver checks Sinter against them).
// The timed call is `await session.run(feeds)`, so it includes the binding's per-call cost (a few tens of
// microseconds: output tensors are allocated and wrapped per run), which matters only for tiny models.
'use strict';
const fs = require('fs');
const ort = require('onnxruntime-node');

function fail(message) {
  process.stderr.write(`ort_bench: error: ${message}\n`);
  process.exit(1);
}

// NumPy .npy (v1-v3, little-endian, C order) -> ort.Tensor.
const NPY_TYPES = {
  '<f4': ['float32', Float32Array], '<f8': ['float64', Float64Array], '<i8': ['int64', BigInt64Array],
  '<i4': ['int32', Int32Array], '<i2': ['int16', Int16Array], '|i1': ['int8', Int8Array],
  '|u1': ['uint8', Uint8Array], '|b1': ['bool', Uint8Array], '<u2': ['uint16', Uint16Array],
  '<f2': ['float16', Uint16Array],
};
function readNpy(file) {
  const bytes = fs.readFileSync(file);
  if (bytes.toString('latin1', 0, 6) !== '\x93NUMPY') fail(`${file}: not a .npy file`);
  const major = bytes[6];
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const headerStart = major === 1 ? 10 : 12;
  const header = bytes.toString('latin1', headerStart, headerStart + headerLength);
  const descr = /'descr':\s*'([^']+)'/.exec(header);
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header);
  if (!descr || !shape || /'fortran_order':\s*True/.test(header)) fail(`${file}: unsupported .npy header ${header}`);
  const type = NPY_TYPES[descr[1]];
  if (!type) fail(`${file}: unsupported dtype ${descr[1]}`);
  const dims = shape[1].split(',').map((s) => s.trim()).filter((s) => s.length).map(Number);
  const start = headerStart + headerLength;
  const data = bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + bytes.length);
  return new ort.Tensor(type[0], new type[1](data), dims);
}

function writeNpy(file, tensor) {
  if (tensor.type !== 'float32') return;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${tensor.dims.join(', ')}${tensor.dims.length === 1 ? ',' : ''}), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const prefix = Buffer.alloc(10);
  prefix.write('\x93NUMPY', 0, 'latin1');
  prefix[6] = 1;
  prefix[7] = 0;
  prefix.writeUInt16LE(header.length, 8);
  const data = Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
  fs.writeFileSync(file, Buffer.concat([prefix, Buffer.from(header, 'latin1'), data]));
}

function parseArguments(argv) {
  const options = { model: null, inputs: [], threads: 1, repeat: 20, warmup: 3, times: null, outputDir: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => (i + 1 < argv.length ? argv[++i] : fail(`${arg} needs a value`));
    const number = (min) => {
      const n = Number(value());
      if (!Number.isInteger(n) || n < min) fail(`${arg} expects an integer >= ${min}`);
      return n;
    };
    if (arg === '--input') {
      const spec = value();
      const eq = spec.indexOf('=');
      if (eq <= 0) fail(`--input expects NAME=FILE.npy, got '${spec}'`);
      options.inputs.push([spec.slice(0, eq), spec.slice(eq + 1)]);
    } else if (arg === '--threads') options.threads = number(1);
    else if (arg === '--repeat') options.repeat = number(1);
    else if (arg === '--warmup') options.warmup = number(0);
    else if (arg === '--times') options.times = value();
    else if (arg === '--output-dir') options.outputDir = value();
    else if (arg.startsWith('-')) fail(`unknown option '${arg}'`);
    else if (options.model === null) options.model = arg;
    else fail('more than one model given');
  }
  if (options.model === null) fail('no model given');
  return options;
}

async function main() {
  const options = parseArguments(process.argv.slice(2));
  const session = await ort.InferenceSession.create(options.model, {
    intraOpNumThreads: options.threads, interOpNumThreads: 1, executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  const feeds = {};
  for (const [name, file] of options.inputs) feeds[name] = readNpy(file);
  for (const name of session.inputNames) if (!(name in feeds)) fail(`missing input '${name}'`);
  for (let i = 0; i < options.warmup; i++) await session.run(feeds);
  if (options.outputDir) {
    const results = await session.run(feeds);
    fs.mkdirSync(options.outputDir, { recursive: true });
    for (const name of session.outputNames) writeNpy(`${options.outputDir}/${name.replace(/[^A-Za-z0-9._-]/g, '_')}.npy`, results[name]);
  }
  const times = [];
  for (let i = 0; i < options.repeat; i++) {
    const start = process.hrtime.bigint();
    await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  if (options.times) fs.writeFileSync(options.times, times.map((t) => t.toFixed(6)).join('\n') + '\n');
  const sorted = [...times].sort((a, b) => a - b);
  const n = sorted.length;
  const median = n % 2 ? sorted[(n - 1) / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
  const mean = times.reduce((a, b) => a + b, 0) / n;
  process.stdout.write(`model: ${options.model}\nthreads: ${options.threads}, warm-up runs: ${options.warmup}, ` +
    `timed runs: ${n}\nmin_ms: ${sorted[0].toFixed(4)}\nmean_ms: ${mean.toFixed(4)}\n` +
    `max_ms: ${sorted[n - 1].toFixed(4)}\nmedian_ms: ${median.toFixed(4)}\n`);
}

main().catch((error) => fail(error.message));
