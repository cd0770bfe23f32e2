# torch's side of `./grad4j bench --device cuda` (org.grad4j.cuda.GpuBench): the same workloads, units and timing
# (best of three synchronized batches), printed as "TORCH <workload> <value>". TF32 off, as grad4j's default.
import sys, time

def main():
    args = sys.argv[1:]
    device = args[args.index("--device") + 1] if "--device" in args else "cuda:0"
    quick = "--quick" in args
    try:
        import torch
    except Exception as e:
        print("NOTORCH import torch failed: %s" % e)
        return 0
    if not torch.cuda.is_available():
        print("NOTORCH torch %s sees no CUDA device" % torch.__version__)
        return 0
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    dev = torch.device(device)
    budget = 0.1 if quick else 0.4

    def seconds(body):
        body(); torch.cuda.synchronize(dev)
        t0 = time.perf_counter(); body(); torch.cuda.synchronize(dev)
        one = max(time.perf_counter() - t0, 1e-6)
        reps = int(max(1, min(1000, budget / one)))
        best = float("inf")
        for _ in range(3):
            s = time.perf_counter()
            for _ in range(reps):
                body()
            torch.cuda.synchronize(dev)
            best = min(best, (time.perf_counter() - s) / reps)
        return best

    def row(name, value):
        print("TORCH %s %.6g" % (name, value), flush=True)

    for n in ([1024, 4096] if quick else [1024, 2048, 4096, 8192]):
        a = torch.rand(n, n, device=dev); b = torch.rand(n, n, device=dev)
        row("cuda-matmul-%d" % n, 2.0 * n ** 3 / seconds(lambda: torch.mm(a, b)) / 1e9)
        del a, b
    for size in (["16M"] if quick else ["16M", "64M", "256M"]):
        n = int(size[:-1]) << 20
        a = torch.rand(n, device=dev); b = torch.rand(n, device=dev)
        row("cuda-add-" + size, 12.0 * n / seconds(lambda: torch.add(a, b)) / 1e9)
        row("cuda-exp-" + size, 8.0 * n / seconds(lambda: torch.exp(a)) / 1e9)
        row("cuda-sum-" + size, 4.0 * n / seconds(lambda: torch.sum(a)) / 1e9)
        del a, b
    nn = torch.nn
    for name in ["mlp", "lenet"]:
        for batch in [64, 1024]:
            torch.manual_seed(3 if name == "mlp" else 4)
            if name == "mlp":
                net = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
                x = torch.randn(batch, 784)
            else:
                net = nn.Sequential(nn.Conv2d(1, 6, 5, 1, 2), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(),
                                    nn.MaxPool2d(2), nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84),
                                    nn.ReLU(), nn.Linear(84, 10))
                x = torch.randn(batch, 1, 28, 28)
            net = net.to(dev); x = x.to(dev); y = torch.randint(0, 10, (batch,)).to(dev)
            opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
            def step():
                opt.zero_grad(set_to_none=True)
                nn.functional.cross_entropy(net(x), y).backward()
                opt.step()
            row("cuda-%s-%d" % (name, batch), 1.0 / seconds(step))
    return 0

if __name__ == "__main__":
    sys.exit(main())
