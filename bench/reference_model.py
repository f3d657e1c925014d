#!/usr/bin/python3
"""Independent PyTorch reference of the AffectFuse temporal model (src/AffectFuse/Model).

Rebuilds the architecture from the options stored in an exported .safetensors file, loads its weights and writes
per-frame logits for the inputs in an .npz file. Runs with Debian's torch 1.13 (/usr/bin/python3); the safetensors
format is parsed by hand because the `safetensors` package is not installed (8-byte little-endian header length,
JSON header, raw little-endian tensor data).

The input transforms some models carry are rebuilt too: the face prior (the face nets' log-probabilities, each net
with its learned weight, plus a learned per-class offset, added to the logits on face frames), the audio level
reference (each window's loudest present log energy subtracted from the level columns) and the audio window
standardisation. Which feature columns they read travels in the file's metadata; the arithmetic is written here anew.

usage: reference_model.py WEIGHTS.safetensors INPUTS.npz OUTPUT.npz
  INPUTS.npz: visual [B,T,Dv] float32, visual_mask [B,T] bool, audio [B,T,Da] float32, audio_mask [B,T] bool
  OUTPUT.npz: fused [B,T,8] and, when the model has auxiliary heads, visual / audio [B,T,8]
"""
import json
import math
import struct
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

PRIOR_FLOOR = 1e-4  # FacePrior.cs: a net's probability 0 counts as log(1e-4), not −∞
STANDARDISE_EPSILON = 1e-5
MASKED_BIAS = -1e30  # finite, as in KeyPaddingMask.cs: an all-masked row stays finite and is then zeroed
NUM_CLASSES = 8


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (header_len,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + header_len].decode("utf-8"))
    metadata = header.pop("__metadata__", {})
    base = 8 + header_len
    dtypes = {"F32": np.float32, "F64": np.float64, "F16": np.float16, "I64": np.int64, "I32": np.int32}
    tensors = {}
    for name, info in header.items():
        start, end = info["data_offsets"]
        array = np.frombuffer(data[base + start:base + end], dtype=np.dtype(dtypes[info["dtype"]]).newbyteorder("<"))
        tensors[name] = torch.from_numpy(array.reshape(info["shape"]).copy())
    return tensors, metadata


class KeyMask:
    def __init__(self, valid):
        b, tk = valid.shape
        self.valid = valid
        self.bias = torch.zeros(b, 1, 1, tk).masked_fill(~valid.view(b, 1, 1, tk), MASKED_BIAS)
        self.row_scale = valid.any(1).float().view(b, 1, 1, 1)


def attention(q, k, v, mask, safe):
    scale = 1.0 / math.sqrt(q.shape[-1])
    scores = torch.matmul(q, k.transpose(-2, -1)) * scale
    if not safe:
        b, tk = mask.valid.shape
        weights = scores.masked_fill(~mask.valid.view(b, 1, 1, tk), float("-inf")).softmax(-1)
        return torch.matmul(weights, v)
    weights = (scores + mask.bias).softmax(-1)
    return torch.matmul(weights, v) * mask.row_scale


class SafeMultiheadAttention(nn.Module):
    def __init__(self, width, heads, safe):
        super().__init__()
        self.width, self.heads, self.safe = width, heads, safe
        self.in_proj_weight = nn.Parameter(torch.empty(3 * width, width))
        self.in_proj_bias = nn.Parameter(torch.zeros(3 * width))
        self.out_proj = nn.Linear(width, width)

    def forward(self, query, context, mask):
        b, tq, d = query.shape
        tk = context.shape[1]
        h, dh = self.heads, d // self.heads
        w, bias = self.in_proj_weight, self.in_proj_bias
        q = F.linear(query, w[:d], bias[:d]).view(b, tq, h, dh).transpose(1, 2)
        k = F.linear(context, w[d:2 * d], bias[d:2 * d]).view(b, tk, h, dh).transpose(1, 2)
        v = F.linear(context, w[2 * d:], bias[2 * d:]).view(b, tk, h, dh).transpose(1, 2)
        out = attention(q, k, v, mask, self.safe)
        return self.out_proj(out.transpose(1, 2).reshape(b, tq, d))


class FeedForward(nn.Module):
    def __init__(self, width, hidden):
        super().__init__()
        self.fc1 = nn.Linear(width, hidden)
        self.fc2 = nn.Linear(hidden, width)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x)))


class SelfAttentionLayer(nn.Module):
    def __init__(self, o):
        super().__init__()
        self.norm1 = nn.LayerNorm(o["Width"])
        self.attn = SafeMultiheadAttention(o["Width"], o["Heads"], o["SafeAttention"])
        self.norm2 = nn.LayerNorm(o["Width"])
        self.ffn = FeedForward(o["Width"], o["FeedForward"])

    def forward(self, x, mask):
        h = self.norm1(x)
        x = x + self.attn(h, h, mask)
        return x + self.ffn(self.norm2(x))


class CrossAttentionBlock(nn.Module):
    def __init__(self, o):
        super().__init__()
        self.norm_q = nn.LayerNorm(o["Width"])
        self.norm_kv = nn.LayerNorm(o["Width"])
        self.attn = SafeMultiheadAttention(o["Width"], o["Heads"], o["SafeAttention"])
        self.norm_ff = nn.LayerNorm(o["Width"])
        self.ffn = FeedForward(o["Width"], o["FeedForward"])

    def forward(self, x, other, other_mask):
        x = x + self.attn(self.norm_q(x), self.norm_kv(other), other_mask)
        return x + self.ffn(self.norm_ff(x))


class CrossModalLayer(nn.Module):
    def __init__(self, o):
        super().__init__()
        self.visual_from_audio = CrossAttentionBlock(o)
        self.audio_from_visual = CrossAttentionBlock(o)

    def forward(self, v, mv, a, ma):
        return self.visual_from_audio(v, a, ma), self.audio_from_visual(a, v, mv)


def positional_table(width, max_length):
    position = torch.arange(max_length, dtype=torch.float32).unsqueeze(1)
    frequency = torch.exp(torch.arange(0, width, 2, dtype=torch.float32) * (-math.log(10000.0) / width))
    angle = position * frequency
    return torch.stack([torch.sin(angle), torch.cos(angle)], -1).view(max_length, width)


class BranchEncoder(nn.Module):
    def __init__(self, input_dim, o):
        super().__init__()
        self.input_norm = nn.LayerNorm(input_dim)
        self.input_proj = nn.Linear(input_dim, o["Width"])
        self.missing_token = nn.Parameter(torch.zeros(o["Width"]))
        self.register_buffer("table", positional_table(o["Width"], o["MaxLength"]), persistent=False)
        self.layers = nn.ModuleList([SelfAttentionLayer(o) for _ in range(o["SelfLayers"])])

    def forward(self, x, present, mask):
        keep = present.unsqueeze(-1)
        h = self.input_proj(self.input_norm(x.masked_fill(~keep, 0.0)))
        h = torch.where(keep, h, self.missing_token)
        h = h + self.table[: x.shape[1]]
        for layer in self.layers:
            h = layer(h, mask)
        return h


class GatedFusion(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.gate = nn.Linear(2 * width + 2, 2)

    def forward(self, hv, mv, ha, ma):
        mv, ma = mv.unsqueeze(-1), ma.unsqueeze(-1)
        logits = self.gate(torch.cat([hv, ha, mv.float(), ma.float()], -1))
        neither = ~(mv | ma)
        allowed = torch.cat([mv | neither, ma | neither], -1)
        w = logits.masked_fill(~allowed, float("-inf")).softmax(-1)
        return hv * w[..., 0:1] + ha * w[..., 1:2]


class ConcatFusion(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.proj = nn.Linear(2 * width, width)

    def forward(self, hv, mv, ha, ma):
        return F.gelu(self.proj(torch.cat([hv * mv.unsqueeze(-1).float(), ha * ma.unsqueeze(-1).float()], -1)))


class FacePrior(nn.Module):
    def __init__(self, nets):
        super().__init__()
        self.nets = [(torch.tensor(n["columns"]), torch.tensor(n["classes"])) for n in nets]
        self.weight = nn.Parameter(torch.zeros(len(nets)))
        self.bias = nn.Parameter(torch.zeros(NUM_CLASSES))

    def forward(self, v, mv):
        prior = self.bias.expand(*v.shape[:-1], NUM_CLASSES)
        for weight, (columns, classes) in zip(self.weight, self.nets):
            log_p = v.index_select(-1, columns).clamp_min(PRIOR_FLOOR).log()
            per_class = torch.zeros(*v.shape[:-1], NUM_CLASSES).index_add(-1, classes, log_p)
            prior = prior + weight * per_class
        return torch.where(mv.unsqueeze(-1), prior, torch.zeros(()))


def level_reference(a, ma, layout):
    energy = a[..., layout["energy_column"]].masked_fill(~ma, float("-inf"))
    loudest = energy.max(1, keepdim=True).values
    loudest = torch.where(torch.isinf(loudest), torch.zeros(()), loudest)
    return a - loudest.unsqueeze(-1) * torch.tensor(layout["shift"], dtype=a.dtype)


def window_standardise(x, present):
    weight = present.unsqueeze(-1).to(x.dtype)
    clean = torch.where(present.unsqueeze(-1), x, torch.zeros(()))
    count = weight.sum(1, keepdim=True).clamp_min(1.0)
    centred = (clean - clean.sum(1, keepdim=True) / count) * weight
    return centred / ((centred ** 2).sum(1, keepdim=True) / count + STANDARDISE_EPSILON).sqrt()


class AffectFuseModel(nn.Module):
    def __init__(self, o, face_prior=None, level_layout=None):
        super().__init__()
        self.o = o
        self.level_layout = level_layout
        use_visual = o["Modalities"] != "AudioOnly"
        use_audio = o["Modalities"] != "VisualOnly"
        if use_visual:
            self.visual = BranchEncoder(o["VisualDim"], o)
            self.visual_norm = nn.LayerNorm(o["Width"])
        if use_audio:
            self.audio = BranchEncoder(o["AudioDim"], o)
            self.audio_norm = nn.LayerNorm(o["Width"])
        self.both = use_visual and use_audio
        self.aux = False
        if self.both:
            if o["Fusion"] == "CrossAttentionGated":
                self.cross = nn.ModuleList([CrossModalLayer(o) for _ in range(o["CrossLayers"])])
                self.fusion = GatedFusion(o["Width"])
            else:
                self.cross = nn.ModuleList()
                self.fusion = ConcatFusion(o["Width"])
            if o["AuxiliaryHeads"]:
                self.aux = True
                self.visual_head = nn.Linear(o["Width"], NUM_CLASSES)
                self.audio_head = nn.Linear(o["Width"], NUM_CLASSES)
        self.head = nn.Linear(o["Width"], NUM_CLASSES)
        self.face_prior = FacePrior(face_prior) if face_prior is not None else None

    def with_prior(self, logits, v, mv):
        return logits if self.face_prior is None else logits + self.face_prior(v, mv)

    def forward(self, v, mv, a, ma):
        if self.level_layout is not None:
            a = level_reference(a, ma, self.level_layout)
        if self.o.get("AudioWindowNorm", False) and hasattr(self, "audio"):
            a = window_standardise(a, ma)
        if not self.both:
            if hasattr(self, "visual"):
                return {"fused": self.with_prior(self.head(self.visual_norm(self.visual(v, mv, KeyMask(mv)))), v, mv)}
            return {"fused": self.head(self.audio_norm(self.audio(a, ma, KeyMask(ma))))}
        kv, ka = KeyMask(mv), KeyMask(ma)
        hv = self.visual(v, mv, kv)
        ha = self.audio(a, ma, ka)
        for layer in self.cross:
            hv, ha = layer(hv, kv, ha, ka)
        hv, ha = self.visual_norm(hv), self.audio_norm(ha)
        out = {"fused": self.with_prior(self.head(self.fusion(hv, mv, ha, ma)), v, mv)}
        if self.aux:
            out["visual"] = self.visual_head(hv)
            out["audio"] = self.audio_head(ha)
        return out


def main(argv):
    if len(argv) != 4:
        sys.stderr.write(__doc__)
        return 2
    weights_path, inputs_path, output_path = argv[1:]
    tensors, metadata = read_safetensors(weights_path)
    options = json.loads(metadata["affectfuse.model_options"])
    face_prior = json.loads(metadata["affectfuse.face_prior"]) if "affectfuse.face_prior" in metadata else None
    level_layout = json.loads(metadata["affectfuse.audio_level_reference"]) if "affectfuse.audio_level_reference" in metadata else None
    model = AffectFuseModel(options, face_prior, level_layout)
    model.load_state_dict(tensors, strict=True)
    model.eval()
    inputs = np.load(inputs_path)
    v = torch.from_numpy(np.ascontiguousarray(inputs["visual"], dtype=np.float32))
    a = torch.from_numpy(np.ascontiguousarray(inputs["audio"], dtype=np.float32))
    mv = torch.from_numpy(np.ascontiguousarray(inputs["visual_mask"]).astype(bool))
    ma = torch.from_numpy(np.ascontiguousarray(inputs["audio_mask"]).astype(bool))
    with torch.no_grad():
        out = model(v, mv, a, ma)
    np.savez(output_path, **{k: t.numpy().astype(np.float32) for k, t in out.items()})
    print(f"{output_path}: " + ", ".join(f"{k} {tuple(t.shape)}" for k, t in out.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
