#!/usr/bin/python3
"""Export the small PyTorch test models used by Sinter's importer tests.

Run from anywhere with Debian's interpreter (python3-torch 1.13, python3-onnx 1.12):

    /usr/bin/python3 test/models/gen_torch_models.py

Writes test/models/<family>_op13.onnx and <family>_op17.onnx for the families
mlp, gpt2, bert, resnet, longconv, plus gpt2_dyn_op17.onnx (dynamic sequence
length).  Every model is built under a fixed torch.manual_seed, exported in
eval mode with do_constant_folding=True, so regenerating gives the same bytes.
"""
import io
import math
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F
import onnx

HERE = os.path.dirname(os.path.abspath(__file__))
OPSETS = (13, 17)
SEED = 1234


# --------------------------------------------------------------------------- mlp
class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(16, 32)
        self.fc2 = nn.Linear(32, 32)
        self.fc3 = nn.Linear(32, 4)

    def forward(self, x):
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


# -------------------------------------------------------------------------- gpt2
class CausalSelfAttention(nn.Module):
    def __init__(self, d, n_head, block_size):
        super().__init__()
        self.n_head = n_head
        self.d = d
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.register_buffer(
            "mask", torch.tril(torch.ones(block_size, block_size)).view(1, 1, block_size, block_size))

    def forward(self, x):
        B, T, C = x.size()
        q, k, v = self.qkv(x).split(self.d, dim=2)
        hs = C // self.n_head
        q = q.view(B, T, self.n_head, hs).transpose(1, 2)
        k = k.view(B, T, self.n_head, hs).transpose(1, 2)
        v = v.view(B, T, self.n_head, hs).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hs))
        att = att.masked_fill(self.mask[:, :, :T, :T] == 0, float("-inf"))
        att = F.softmax(att, dim=-1)
        y = att @ v
        y = y.transpose(1, 2).contiguous().view(B, T, C)
        return self.proj(y)


class GPTBlock(nn.Module):
    def __init__(self, d, n_head, block_size, hidden):
        super().__init__()
        self.ln_1 = nn.LayerNorm(d)
        self.attn = CausalSelfAttention(d, n_head, block_size)
        self.ln_2 = nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, hidden), nn.GELU(), nn.Linear(hidden, d))

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        x = x + self.mlp(self.ln_2(x))
        return x


class GPT2(nn.Module):
    def __init__(self, vocab=64, d=32, n_head=2, n_layer=2, block_size=16, hidden=64):
        super().__init__()
        self.wte = nn.Embedding(vocab, d)
        self.wpe = nn.Embedding(block_size, d)
        self.h = nn.ModuleList([GPTBlock(d, n_head, block_size, hidden) for _ in range(n_layer)])
        self.ln_f = nn.LayerNorm(d)
        self.lm_head = nn.Linear(d, vocab, bias=False)

    def forward(self, input_ids):
        T = input_ids.size(1)
        pos = torch.arange(0, T, dtype=torch.long, device=input_ids.device)
        x = self.wte(input_ids) + self.wpe(pos)
        for blk in self.h:
            x = blk(x)
        return self.lm_head(self.ln_f(x))


# -------------------------------------------------------------------------- bert
class BertSelfAttention(nn.Module):
    def __init__(self, d, n_head):
        super().__init__()
        self.n_head = n_head
        self.hs = d // n_head
        self.query = nn.Linear(d, d)
        self.key = nn.Linear(d, d)
        self.value = nn.Linear(d, d)
        self.out = nn.Linear(d, d)

    def heads(self, x):
        B, T, _ = x.size()
        return x.view(B, T, self.n_head, self.hs).permute(0, 2, 1, 3)

    def forward(self, x, ext_mask):
        B, T, C = x.size()
        q = self.heads(self.query(x))
        k = self.heads(self.key(x))
        v = self.heads(self.value(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.hs)
        scores = scores + ext_mask
        probs = F.softmax(scores, dim=-1)
        ctx = torch.matmul(probs, v).permute(0, 2, 1, 3).contiguous().view(B, T, C)
        return self.out(ctx)


class BertLayer(nn.Module):
    def __init__(self, d, n_head, hidden):
        super().__init__()
        self.attn = BertSelfAttention(d, n_head)
        self.ln1 = nn.LayerNorm(d, eps=1e-12)
        self.ffn_in = nn.Linear(d, hidden)
        self.act = nn.GELU()
        self.ffn_out = nn.Linear(hidden, d)
        self.ln2 = nn.LayerNorm(d, eps=1e-12)

    def forward(self, x, ext_mask):
        x = self.ln1(x + self.attn(x, ext_mask))
        x = self.ln2(x + self.ffn_out(self.act(self.ffn_in(x))))
        return x


class Bert(nn.Module):
    def __init__(self, vocab=64, d=32, n_head=2, n_layer=2, max_pos=8, type_vocab=2, hidden=64):
        super().__init__()
        self.word = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(max_pos, d)
        self.token_type = nn.Embedding(type_vocab, d)
        self.ln = nn.LayerNorm(d, eps=1e-12)
        self.layers = nn.ModuleList([BertLayer(d, n_head, hidden) for _ in range(n_layer)])
        self.pooler = nn.Linear(d, d)

    def forward(self, input_ids, attention_mask):
        T = input_ids.size(1)
        pos_ids = torch.arange(T, dtype=torch.long).unsqueeze(0)
        type_ids = torch.zeros_like(input_ids)
        x = self.word(input_ids) + self.pos(pos_ids) + self.token_type(type_ids)
        x = self.ln(x)
        ext = attention_mask.unsqueeze(1).unsqueeze(2).to(torch.float32)
        ext = (1.0 - ext) * -10000.0
        for layer in self.layers:
            x = layer(x, ext)
        pooled = torch.tanh(self.pooler(x[:, 0]))  # 2-D input -> Gemm
        return x, pooled


# ------------------------------------------------------------------------ resnet
class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride, post_bn=False):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.down = None
        if stride != 1 or cin != cout:
            self.down = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))
        # A BatchNorm that follows an Add cannot be folded into a Conv, so it
        # survives eval-mode export as a BatchNormalization node.
        self.post_bn = nn.BatchNorm2d(cout) if post_bn else None

    def forward(self, x):
        idt = x if self.down is None else self.down(x)
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        out = out + idt
        if self.post_bn is not None:
            out = self.post_bn(out)
        return F.relu(out)


class ResNet(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(8)
        self.pool = nn.MaxPool2d(3, 2, 1)
        self.layer1 = BasicBlock(8, 8, 1)
        self.layer2 = BasicBlock(8, 16, 2, post_bn=True)
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(16, num_classes)

    def forward(self, x):
        x = self.pool(F.relu(self.bn1(self.conv1(x))))
        x = self.layer2(self.layer1(x))
        x = torch.flatten(self.gap(x), 1)
        return self.fc(x)


def randomize_norms(model):
    """Give every norm layer non-trivial parameters/statistics so that folding
    and the affine part are observable (and identical default params are not
    deduplicated by the exporter)."""
    for m in model.modules():
        if isinstance(m, nn.LayerNorm):
            with torch.no_grad():
                m.weight.uniform_(0.8, 1.2)
                m.bias.uniform_(-0.1, 0.1)
        if isinstance(m, nn.BatchNorm2d):
            with torch.no_grad():
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.2, 0.2)
                m.running_mean.uniform_(-0.2, 0.2)
                m.running_var.uniform_(0.5, 1.5)


# ---------------------------------------------------------------------- longconv
class LongConv(nn.Module):
    """Causal depthwise long convolution (kernel = sequence length) + pointwise mix."""

    def __init__(self, channels=8, length=64):
        super().__init__()
        self.length = length
        self.dw = nn.Conv1d(channels, channels, kernel_size=length, groups=channels)
        self.pw = nn.Conv1d(channels, channels, kernel_size=1)

    def forward(self, x):
        y = self.dw(F.pad(x, (self.length - 1, 0)))  # causal: left pad L-1
        y = self.pw(y)
        return y + x


# ------------------------------------------------------ scripted control flow
class ScriptedRNNIf(nn.Module):
    """torch.jit.script keeps Python control flow: the time loop exports as an ONNX Loop (trip count from
    x.size(0), which Sinter folds), the data-dependent branch as an If on a run-time condition."""

    def __init__(self):
        super().__init__()
        self.cell = nn.Linear(4, 4)

    def forward(self, x):
        h = torch.zeros(x.size(1), 4)
        for t in range(x.size(0)):
            h = torch.tanh(self.cell(x[t]) + h)
        if bool(h.sum() > 0):
            y = h * 2
        else:
            y = h - 1
        return y


def export_scripted_control_flow():
    """scripted_rnn_if_op17.onnx, plus PyTorch's own (eager) outputs for two inputs, one per If branch, in
    test/e2e/reference/scripted_rnn_if_op17/{then,else}/ (ONNX Runtime is not needed for a reference here)."""
    import numpy as np
    torch.manual_seed(SEED)
    model = torch.jit.script(ScriptedRNNIf())
    g = torch.Generator().manual_seed(SEED + 1)
    x = torch.randn(5, 3, 4, generator=g)
    export(model, (x,), "scripted_rnn_if_op17", 17, ["x"], ["y"])
    ref = os.path.join(os.path.dirname(HERE), "e2e", "reference", "scripted_rnn_if_op17")
    for branch, scale in (("then", 1.0), ("else", -1.0)):
        # The bias pushes h one way; scaling x picks the sign of h.sum() for these seeds (checked below).
        xs = x * scale
        with torch.no_grad():
            cell = model.cell
            h = torch.zeros(3, 4)
            for t in range(5):
                h = torch.tanh(cell(xs[t]) + h)
        assert (float(h.sum()) > 0) == (branch == "then"), (branch, float(h.sum()))
        for kind, name, value in (("inputs", "x", xs), ("outputs", "y", model(xs))):
            os.makedirs(os.path.join(ref, branch, kind), exist_ok=True)
            np.save(os.path.join(ref, branch, kind, name + ".npy"), value.detach().numpy())


# ------------------------------------------------------------------------ export
def name_all_nodes(model_proto, stem):
    for i, n in enumerate(model_proto.graph.node):
        if not n.name:
            n.name = f"{stem}_{n.op_type}_{i}"


def export(model, args, stem, opset, input_names, output_names, dynamic_axes=None,
           training=torch.onnx.TrainingMode.EVAL):
    model.eval()
    buf = io.BytesIO()
    with torch.no_grad():
        torch.onnx.export(model, args, buf, opset_version=opset, do_constant_folding=True,
                          input_names=input_names, output_names=output_names,
                          dynamic_axes=dynamic_axes, training=training)
    m = onnx.load_from_string(buf.getvalue())
    name_all_nodes(m, stem)
    m.producer_name = "sinter-test-gen"
    m.producer_version = "1"
    path = os.path.join(HERE, f"{stem}.onnx")
    with open(path, "wb") as f:
        f.write(m.SerializeToString())
    ops = sorted({n.op_type for n in m.graph.node})
    print(f"{stem}.onnx: {os.path.getsize(path)} B, opset {opset}, ops: {' '.join(ops)}")
    return m


def build(family):
    torch.manual_seed(SEED)
    ctor = {"mlp": MLP, "gpt2": GPT2, "bert": Bert, "resnet": ResNet, "longconv": LongConv}[family]
    m = ctor()
    randomize_norms(m)
    return m


def inputs(family):
    g = torch.Generator().manual_seed(SEED + 1)
    if family == "mlp":
        return (torch.randn(2, 16, generator=g),), ["x"], ["y"]
    if family == "gpt2":
        return (torch.randint(0, 64, (1, 8), generator=g),), ["input_ids"], ["logits"]
    if family == "bert":
        ids = torch.randint(0, 64, (1, 8), generator=g)
        mask = torch.tensor([[1, 1, 1, 1, 1, 1, 0, 0]], dtype=torch.long)
        return (ids, mask), ["input_ids", "attention_mask"], ["last_hidden_state", "pooled"]
    if family == "resnet":
        return (torch.randn(1, 3, 32, 32, generator=g),), ["x"], ["logits"]
    if family == "longconv":
        return (torch.randn(1, 8, 64, generator=g),), ["x"], ["y"]
    raise ValueError(family)


def build_gpt2_wide():
    """The quantization tests' GPT-2-style model: wide enough for group sizes 32/64/128 (K = 128 and 512).
    Trained LLMs have a few hidden channels with much larger activations than the rest; this model gets
    them the same way they arise, through LayerNorm gains: channels 3, 40, 77 and 101 of every LayerNorm
    get gain 6, so calibration-aware methods (GPTQ, |w|*||x|| outliers) have something real to find. The
    weights of the Linear layers are drawn from a Student-t (3 degrees of freedom, heavy tails, scaled to
    the default init's standard deviation) for the same reason."""
    torch.manual_seed(SEED)
    m = GPT2(vocab=128, d=128, n_head=4, n_layer=2, block_size=16, hidden=512)
    randomize_norms(m)
    t = torch.distributions.StudentT(torch.tensor(3.0))
    with torch.no_grad():
        for mod in m.modules():
            if isinstance(mod, nn.LayerNorm):
                mod.weight[[3, 40, 77, 101]] = 6.0
            if isinstance(mod, nn.Linear):
                std = 1.0 / math.sqrt(3.0 * mod.in_features)  # the default uniform init's std
                mod.weight.copy_(t.sample(mod.weight.shape) * std / math.sqrt(3.0))
    return m


def export_gpt2_wide():
    g = torch.Generator().manual_seed(SEED + 1)
    args = (torch.randint(0, 128, (1, 16), generator=g),)
    export(build_gpt2_wide(), args, "gpt2_wide_op17", 17, ["input_ids"], ["logits"])


def main():
    torch.set_grad_enabled(False)
    for family in ("mlp", "gpt2", "bert", "resnet", "longconv"):
        for opset in OPSETS:
            args, ins, outs = inputs(family)
            export(build(family), args, f"{family}_op{opset}", opset, ins, outs)
    args, ins, outs = inputs("gpt2")
    export(build("gpt2"), args, "gpt2_dyn_op17", 17, ins, outs,
           dynamic_axes={"input_ids": {1: "seq"}, "logits": {1: "seq"}})
    export_gpt2_wide()
    export_scripted_control_flow()
    # The resnet export must keep at least one BatchNormalization node.
    for opset in OPSETS:
        m = onnx.load(os.path.join(HERE, f"resnet_op{opset}.onnx"))
        assert any(n.op_type == "BatchNormalization" for n in m.graph.node), "BN was folded away"


if __name__ == "__main__":
    sys.exit(main())
