import time, numpy as np, onnxruntime as ort, sys
def sess(p):
    o=ort.SessionOptions(); o.intra_op_num_threads=2; o.inter_op_num_threads=1
    return ort.InferenceSession(p,o,providers=["CPUExecutionProvider"])
def t(s,feeds,n=15):
    s.run(None,feeds); ts=[]
    for _ in range(n):
        a=time.perf_counter(); s.run(None,feeds); ts.append(time.perf_counter()-a)
    return 1000*float(np.median(ts))
rng=np.random.default_rng(0)
B,N,M,D=2,256,256,256   # guidance: 2 rows; semseg 256 context tokens; up to 256 RGB targets
for pk in sys.argv[1:]:
    enc=sess(f"{pk}/fm/encoder.onnx"); dec=sess(f"{pk}/fm/decoder.onnx"); head=sess(f"{pk}/fm/head_tok_rgb_128.onnx")
    x=rng.standard_normal((B,N,D),dtype=np.float32); pad=np.zeros((B,N),bool)
    te=t(enc,{"x":x,"emb":x,"pad":pad})
    ctx=enc.run(None,{"x":x,"emb":x,"pad":pad})[0]
    y=rng.standard_normal((B,M,D),dtype=np.float32); sa=np.zeros((B,M,M),bool)
    td=t(dec,{"y":y,"context":ctx,"enc_pad":pad,"sa_mask":sa})
    th=t(head,{"hidden":y})
    print(f"{pk}: encoder {te:.1f} ms, decoder {td:.1f} ms, rgb head {th:.1f} ms (B={B}, N={N}, M={M})")
tok=sess("models/zoo/world-4m-small/tokenizers/rgb_decoder.onnx")
ids=np.zeros((1,16,16),np.int64)
try: print(f"tokenizer rgb_decoder (fp32, one picture): {t(tok,{'ids':ids},7):.1f} ms")
except Exception as e:
    print(tok.get_inputs()[0], e)
