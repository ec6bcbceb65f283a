#!/usr/bin/python3
"""Make the benchmark models (at realistic sizes) into bench/work/models/<case>.onnx.

    /usr/bin/python3 bench/make_models.py [CASE ...]      # all cases when none are named

Needs Debian's python3-onnx and numpy; the torch-exported families also need python3-torch. The model
families are the ones Sinter's tests use (test/models/gen_torch_models.py), at the sizes the benchmark
issue names; weights come from a fixed seed, so remaking a model gives the same bytes. Nothing here is
committed: the models are hundreds of MB.
"""
import os
import sys
import warnings

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "work", "models")
sys.path.insert(0, os.path.join(HERE, "..", "test", "models"))
OPSET = 17


def torch_export(case, model, args, input_names, output_names):
    import io
    import torch
    from gen_torch_models import name_all_nodes, randomize_norms
    randomize_norms(model)
    model.eval()
    buf = io.BytesIO()
    with torch.no_grad():
        torch.onnx.export(model, args, buf, opset_version=OPSET, do_constant_folding=True,
                          input_names=input_names, output_names=output_names)
    proto = onnx.load_from_string(buf.getvalue())
    name_all_nodes(proto, case)
    return proto


def gpt2(case, n_layer, T, vocab=50257, d=768, n_head=12, block_size=1024):
    import torch
    from gen_torch_models import GPT2
    torch.manual_seed(1)
    model = GPT2(vocab=vocab, d=d, n_head=n_head, n_layer=n_layer, block_size=block_size, hidden=4 * d)
    ids = torch.zeros(1, T, dtype=torch.long)
    return torch_export(case, model, (ids,), ["input_ids"], ["logits"])


def bert(case, n_layer=4, T=128):
    import torch
    from gen_torch_models import Bert
    torch.manual_seed(2)
    model = Bert(vocab=30522, d=768, n_head=12, n_layer=n_layer, max_pos=512, hidden=3072)
    ids = torch.zeros(1, T, dtype=torch.long)
    mask = torch.ones(1, T, dtype=torch.long)
    return torch_export(case, model, (ids, mask), ["input_ids", "attention_mask"], ["last_hidden_state", "pooled"])


def resnet18(case):
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    from gen_torch_models import BasicBlock

    class ResNet18(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False)
            self.bn1 = nn.BatchNorm2d(64)
            self.pool = nn.MaxPool2d(3, 2, 1)
            blocks, cin = [], 64
            for cout, stride in ((64, 1), (128, 2), (256, 2), (512, 2)):
                blocks += [BasicBlock(cin, cout, stride), BasicBlock(cout, cout, 1)]
                cin = cout
            self.blocks = nn.Sequential(*blocks)
            self.fc = nn.Linear(512, 1000)

        def forward(self, x):
            x = self.pool(F.relu(self.bn1(self.conv1(x))))
            x = self.blocks(x)
            return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))

    torch.manual_seed(3)
    return torch_export(case, ResNet18(), (torch.zeros(1, 3, 224, 224),), ["x"], ["logits"])


def longconv(case, T, channels=128):
    import torch
    from gen_torch_models import LongConv
    torch.manual_seed(4)
    return torch_export(case, LongConv(channels=channels, length=T), (torch.zeros(1, channels, T),), ["x"], ["y"])


def dense_graph(case, x_shape, layers):
    """x -> (MatMul W_i [+ b_i] [-> Relu])*: a plain ONNX graph, no torch needed."""
    rng = np.random.default_rng(5)
    nodes, inits, cur = [], [], "x"
    width = x_shape[-1]
    for i, (n, bias, relu) in enumerate(layers):
        w = (rng.standard_normal((width, n)) / np.sqrt(width)).astype(np.float32)
        inits.append(numpy_helper.from_array(w, f"w{i}"))
        nodes.append(helper.make_node("MatMul", [cur, f"w{i}"], [f"mm{i}"], name=f"{case}_matmul{i}"))
        cur = f"mm{i}"
        if bias:
            inits.append(numpy_helper.from_array(rng.standard_normal(n).astype(np.float32) * 0.1, f"b{i}"))
            nodes.append(helper.make_node("Add", [cur, f"b{i}"], [f"add{i}"], name=f"{case}_add{i}"))
            cur = f"add{i}"
        if relu:
            nodes.append(helper.make_node("Relu", [cur], [f"relu{i}"], name=f"{case}_relu{i}"))
            cur = f"relu{i}"
        width = n
    nodes[-1].output[0] = "y"
    graph = helper.make_graph(nodes, case, [helper.make_tensor_value_info("x", TensorProto.FLOAT, x_shape)],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, x_shape[:-1] + [width])], inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="sinter-bench")


def quantize_matmul_nbits(w, block):
    """RTN symmetric 4-bit, one fp32 scale per block of `block` rows of w [K][N] (scale = max|w| / 7, code =
    clamp(round(w / scale), -8, 7) + 8, an all-zero block gets scale 1): returns MatMulNBits' B
    uint8 [N][k_blocks][block / 2] (low nibble first) and scales float32 [N][k_blocks]."""
    k, n = w.shape
    blocks = -(-k // block)
    wt = np.zeros((n, blocks * block), np.float32)
    wt[:, :k] = w.T
    wt = wt.reshape(n, blocks, block)
    scales = np.abs(wt).max(axis=2) / 7.0
    scales[scales == 0] = 1.0
    scales = scales.astype(np.float32)
    codes = (np.clip(np.rint(wt / scales[:, :, None]), -8, 7) + 8).astype(np.uint8)
    packed = codes[:, :, 0::2] | (codes[:, :, 1::2] << 4)
    return packed, scales


def matmul_nbits(case, base, block=32, accuracy_level=4):
    """`base` with every MatMul whose B is a 2-D fp32 initializer replaced by com.microsoft MatMulNBits (4 bits,
    block 32, symmetric RTN, no zero points, fp32 scales). accuracy_level 4 (A quantized to int8 per block
    inside ORT's kernel) is ONNX Runtime's fastest CPU path for 4-bit weights; Sinter keeps A in fp32 (its AVX2
    GEMV rounds A to int16 per block: docs/QUANTIZATION.md)."""
    proto = onnx.load(make(base))
    graph = proto.graph
    inits = {t.name: t for t in graph.initializer}
    users = {}
    for node in graph.node:
        for name in node.input:
            users[name] = users.get(name, 0) + 1
    nodes, replaced = [], set()
    for node in graph.node:
        w = inits.get(node.input[1]) if node.op_type == "MatMul" else None
        if w is None or len(w.dims) != 2 or w.data_type != TensorProto.FLOAT:
            nodes.append(node)
            continue
        k, n = w.dims
        packed, scales = quantize_matmul_nbits(numpy_helper.to_array(w), block)
        graph.initializer.extend([numpy_helper.from_array(packed, node.name + ".B"),
                                  numpy_helper.from_array(scales, node.name + ".scales")])
        nodes.append(helper.make_node("MatMulNBits", [node.input[0], node.name + ".B", node.name + ".scales"],
                                      list(node.output), name=node.name, domain="com.microsoft", K=k, N=n, bits=4,
                                      block_size=block, accuracy_level=accuracy_level))
        users[w.name] -= 1
        if users[w.name] == 0:
            replaced.add(w.name)
    del graph.node[:]
    graph.node.extend(nodes)
    kept = [t for t in graph.initializer if t.name not in replaced]
    del graph.initializer[:]
    graph.initializer.extend(kept)
    proto.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    return proto


# case -> (maker, inputs: [(name, dtype, shape, kind)]); kind: uniform floats in [-1, 1), token ids, mask of ones.
CASES = {
    "gpt2_l4_t128": (lambda c: gpt2(c, n_layer=4, T=128), [("input_ids", "int64", [1, 128], "ids")]),
    "bert_l4_t128": (lambda c: bert(c), [("input_ids", "int64", [1, 128], "ids"),
                                         ("attention_mask", "int64", [1, 128], "ones")]),
    "resnet18_224": (resnet18, [("x", "float32", [1, 3, 224, 224], "uniform")]),
    "mlp_b32": (lambda c: dense_graph(c, [32, 1024], [(4096, True, True), (4096, True, True), (1024, True, False)]),
                [("x", "float32", [32, 1024], "uniform")]),
    "longconv_d128_t1024": (lambda c: longconv(c, 1024), [("x", "float32", [1, 128, 1024], "uniform")]),
    "longconv_d128_t4096": (lambda c: longconv(c, 4096), [("x", "float32", [1, 128, 4096], "uniform")]),
    "gemm_1024": (lambda c: dense_graph(c, [1024, 1024], [(1024, False, False)]), [("x", "float32", [1024, 1024], "uniform")]),
    "gemv_4096": (lambda c: dense_graph(c, [1, 4096], [(4096, False, False)]), [("x", "float32", [1, 4096], "uniform")]),
    # Issue 6's GEMV bandwidth: 8 chained 4096 x 4096 GEMVs, so that even 3-bit weights (52 MB) exceed the 32 MiB
    # L3 and every run reads them from DRAM (one quantized 4096^2 weight, 6.8-17 MB, stays cache resident).
    "gemv_4096x8": (lambda c: dense_graph(c, [1, 4096], [(4096, False, False)] * 8),
                    [("x", "float32", [1, 4096], "uniform")]),
    "decode_gpt2_small": (lambda c: gpt2(c, n_layer=12, T=1), [("input_ids", "int64", [1, 1], "ids")]),
    # Issue 6: a decode step (batch 1, one token) of a GPT-style stack at d=1024, 8 layers (~100M parameters in
    # the quantizable MatMuls, ~400 MB fp32): memory bound, the case weight quantization is for.
    "decode_gpt_d1024": (lambda c: gpt2(c, n_layer=8, T=1, vocab=8192, d=1024, n_head=16),
                         [("input_ids", "int64", [1, 1], "ids")]),
    # The same model already quantized for ONNX Runtime (MatMulNBits, 4 bits, block 32, symmetric RTN, fp32
    # scales, accuracy_level 4): both tools run this one file, so the ratio compares the 4-bit kernels.
    "decode_gpt_d1024_mnb4": (lambda c: matmul_nbits(c, "decode_gpt_d1024"),
                              [("input_ids", "int64", [1, 1], "ids")]),
}

# Variants: the same model compiled with extra sinter-compile flags (name -> (case, flags)); ORT runs the
# case's fp32 model, so error_vs_ort is the quantization error plus the kernels'.
VARIANTS = {
    "decode_gpt_d1024_w8": ("decode_gpt_d1024", ["--weight-bits=8", "--group-size=128"]),
    "decode_gpt_d1024_w4": ("decode_gpt_d1024", ["--weight-bits=4", "--group-size=128"]),
    # The same with int8 activations in the GEMV (what ORT's MatMulNBits computes at accuracy_level 4).
    "decode_gpt_d1024_w4a8": ("decode_gpt_d1024", ["--weight-bits=4", "--group-size=128", "--int8-activations"]),
    "decode_gpt_d1024_w3": ("decode_gpt_d1024", ["--weight-bits=3", "--group-size=128"]),
    "decode_gpt_d1024_w3a8": ("decode_gpt_d1024", ["--weight-bits=3", "--group-size=128", "--int8-activations"]),
    "decode_gpt_d1024_budget3.5": ("decode_gpt_d1024", ["--weight-budget=3.5", "--group-size=128"]),
    "gemv_4096x8_w8": ("gemv_4096x8", ["--weight-bits=8", "--group-size=128"]),
    "gemv_4096x8_w4": ("gemv_4096x8", ["--weight-bits=4", "--group-size=128"]),
    "gemv_4096x8_w4a8": ("gemv_4096x8", ["--weight-bits=4", "--group-size=128", "--int8-activations"]),
    "gemv_4096x8_w3": ("gemv_4096x8", ["--weight-bits=3", "--group-size=128"]),
    "gemv_4096x8_w3a8": ("gemv_4096x8", ["--weight-bits=3", "--group-size=128", "--int8-activations"]),
}


def model_path(case):
    return os.path.join(OUT, case + ".onnx")


def make(case):
    path = model_path(case)
    if os.path.exists(path):
        return path
    os.makedirs(OUT, exist_ok=True)
    proto = CASES[case][0](case)
    onnx.checker.check_model(proto)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(proto.SerializeToString())
    os.replace(tmp, path)
    print(f"{case}: {os.path.getsize(path) / 1e6:.1f} MB", flush=True)
    return path


def main():
    warnings.filterwarnings("ignore")  # torch.onnx export chatter
    cases = sys.argv[1:] or list(CASES)
    for case in cases:
        if case not in CASES:
            sys.exit(f"make_models.py: error: unknown case '{case}' (known: {', '.join(CASES)})")
        make(case)


if __name__ == "__main__":
    main()
