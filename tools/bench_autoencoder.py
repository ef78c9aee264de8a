"""Benchmark: the keras-io reference convolutional autoencoder vs lesson 9's lean one, trained one after the other on this machine.

For each model it records the validation BCE (on the MNIST test set, as keras-io's example does) after every epoch with the
training time so far, the time at which the BCE first reaches the target (keras-io's published 50-epoch figure, 0.062), the
final BCE and the parameter count, and writes them to a JSON file (default: nnnotes/resources/bench_autoencoder.json, which
ships with the package and which lesson 9's appendix shows).

How time is counted: the clock runs from the start of `fit` (so graph tracing and the first epoch's warm-up are included) and
includes Keras's own validation pass; nothing else is evaluated during training. Scoring the test set after every epoch is a
benchmark protocol for timing (keras-io's own recipe validates on the test set), never a way to choose a model. It is a
benchmark, not a test: run it by hand (the reference's 50 epochs take about 12 minutes on a 2-core CPU), e.g.

    NNNOTES_DATA=../shared/data flock /tmp/nnnotes-cpu.lock .venv/bin/python tools/bench_autoencoder.py
"""
import argparse, json, os, sys, time
from pathlib import Path
os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '2')
import numpy as np
from nnnotes.core import set_seed, atomic_write
from nnnotes import data
from nnnotes.vision import one_cycle
from nnnotes.autoencoders import autoencoder, conv_encoder, conv_decoder
import keras
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_mnist_cnn import machine_info

TARGET = 0.062
LEAN_EPOCHS, LEAN_BATCH, LEAN_PEAK = 6, 128, 3e-3   # lesson 9's recipe (keep in step with the lesson)


class EpochTimer(keras.callbacks.Callback):
    "Note the training time and a loss (or a score, `higher_is_better`) from the epoch's logs after every epoch, and when `target` is first reached."
    def __init__(self, target:float=TARGET, metric:str='val_loss', label:str='val BCE', key:str='val_bce', digits:int=4,
                 higher_is_better:bool=False):
        super().__init__()
        self.target, self.metric, self.label, self.key, self.digits = target, metric, label, key, digits
        self.higher_is_better = higher_is_better
        self.losses, self.seconds, self.reached_at = [], [], None
    def on_train_begin(self, logs=None): self._start = time.perf_counter()
    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self._start)
        self.losses.append(float(logs[self.metric]))
        print(f"  epoch {epoch + 1}: {self.seconds[-1]:.1f} s, {self.label} {self.losses[-1]:.{self.digits}f}", flush=True)
        reached = self.losses[-1] >= self.target if self.higher_is_better else self.losses[-1] <= self.target
        if self.reached_at is None and reached:
            self.reached_at = {'epoch': epoch + 1, 'seconds': self.seconds[-1]}
    def result(self, name:str, model, epochs:int, batch_size:int)->dict:
        "The benchmark's record of one trained recipe, with the losses under `key` (e.g. final_val_bce, val_bce_per_epoch)."
        return {'model': name, 'params': int(model.count_params()), 'epochs': epochs, 'batch_size': batch_size,
                'seconds_to_target': None if self.reached_at is None else round(self.reached_at['seconds'], 1),
                'epoch_reached': None if self.reached_at is None else self.reached_at['epoch'],
                'train_seconds': round(self.seconds[-1], 1), f'final_{self.key}': round(self.losses[-1], self.digits),
                f'{self.key}_per_epoch': [round(v, self.digits) for v in self.losses],
                'train_seconds_at_epoch_end': [round(t, 1) for t in self.seconds]}


def write_report(results:list, timer:EpochTimer, reference_epochs:int, seed:int, machine:dict, how_time_is_counted:str, out):
    "Write the reference-vs-lean comparison (reference time extrapolated to its full epochs when fewer ran) as JSON and print it."
    reference, lean = results
    n, key = reference_epochs, timer.key
    per_epoch = reference['train_seconds'] / reference['epochs']
    report = {f'target_{key}': timer.target, 'seed': seed, 'machine': machine, 'results': results,
              f'reference_{n}_epochs_seconds': round(reference['train_seconds'] if reference['epochs'] == n else n * per_epoch, 1),
              f'reference_{n}_epochs_measured': reference['epochs'] == n,
              'date': time.strftime('%Y-%m-%d %H:%M'), 'how_time_is_counted': how_time_is_counted}
    report[f'time_ratio_lean_to_reference_{n}_epochs'] = (round(lean['seconds_to_target'] / report[f'reference_{n}_epochs_seconds'], 3)
                                                          if lean['seconds_to_target'] else None)
    for r in results: print(f"{r['model']:<70} {r['params']:>7,} final {r[f'final_{key}']:.{timer.digits}f} in {r['train_seconds']:.0f} s; target at {r['seconds_to_target']} s")
    print(f'time ratio (lean to target / reference {n} epochs):', report[f'time_ratio_lean_to_reference_{n}_epochs'])
    atomic_write(out, json.dumps(report, indent=1) + '\n')
    print('written', out)


def reference_autoencoder():
    "keras-io 'Convolutional autoencoder for image denoising' (examples/vision/autoencoder.py), the model as published."
    L = keras.layers
    inputs = keras.Input((28, 28, 1))
    x = L.Conv2D(32, 3, activation='relu', padding='same')(inputs)
    x = L.MaxPooling2D(2, padding='same')(x)
    x = L.Conv2D(32, 3, activation='relu', padding='same')(x)
    x = L.MaxPooling2D(2, padding='same')(x)
    x = L.Conv2DTranspose(32, 3, strides=2, activation='relu', padding='same')(x)
    x = L.Conv2DTranspose(32, 3, strides=2, activation='relu', padding='same')(x)
    return keras.Model(inputs, L.Conv2D(1, 3, activation='sigmoid', padding='same')(x), name='keras_io_reference')


def lean_autoencoder():
    "Lesson 9's convolutional autoencoder: strided convolutions, the same 7x7x32 code."
    return autoencoder(conv_encoder(filters=(32, 32)), conv_decoder((7, 7, 32), filters=(32, 32)), name='lesson_9_lean')


def recipes(train_size, reference_epochs):
    "(name, model builder, epochs, batch size, optimizer builder) for each contender."
    lean_steps = LEAN_EPOCHS * int(np.ceil(train_size / LEAN_BATCH))
    return [(f'keras-io reference conv AE ({reference_epochs} epochs, batch 128, Adam 1e-3)', reference_autoencoder, reference_epochs, 128,
             lambda: keras.optimizers.Adam()),
            (f'lesson 9 lean conv AE ({LEAN_EPOCHS} epochs, batch {LEAN_BATCH}, Adam one-cycle {LEAN_PEAK:g})', lean_autoencoder, LEAN_EPOCHS,
             LEAN_BATCH, lambda: keras.optimizers.Adam(one_cycle(LEAN_PEAK, lean_steps)))]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--out', default=str(Path(__file__).resolve().parent.parent / 'nnnotes/resources/bench_autoencoder.json'))
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--reference-epochs', type=int, default=50, help="keras-io trains 50 epochs; fewer saves time (the target may then not be reached)")
    args = parser.parse_args(argv)
    mnist = data.mnist(progress=False)
    train = (mnist.train.x / 255).astype('float32')[..., None]
    test = (mnist.test.x / 255).astype('float32')[..., None]
    machine = machine_info()
    print('machine:', machine, flush=True)
    results = []
    for name, build, epochs, batch_size, optimizer in recipes(len(train), args.reference_epochs):
        print(name, flush=True)
        set_seed(args.seed)
        model = build()
        model.compile(optimizer=optimizer(), loss='binary_crossentropy')
        timer = EpochTimer()
        model.fit(train, train, batch_size=batch_size, epochs=epochs, shuffle=True, validation_data=(test, test), verbose=0, callbacks=[timer])
        results.append(timer.result(name, model, epochs, batch_size))
    write_report(results, timer, 50, args.seed, machine,
                 'training wall time from the start of fit, including tracing and the validation pass on the MNIST test set', args.out)


if __name__ == '__main__':
    main()
