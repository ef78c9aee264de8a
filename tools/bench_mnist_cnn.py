"""Benchmark: the keras-io reference MNIST CNN vs the course's lean CNN (lesson 3), trained one after the other on this machine.

For each model it prints the wall time of training until the test accuracy first reaches 99.2%, the final test accuracy and
the parameter count, and writes them to a JSON file (default: nnnotes/resources/bench_mnist_cnn.json,
which ships with the package and which lesson 3's appendix shows).

How time is counted: the clock runs from the start of `fit` (so graph tracing and the first epoch's warm-up are included)
and includes Keras's own validation pass on the 10% validation split that both recipes use; the extra test-set evaluation
after each epoch (needed to see when 99.2% is reached) is excluded. Scoring the test set after every epoch is a benchmark
protocol for timing, never a way to choose a model. It is a benchmark, not a test: run it by hand, e.g.

    NNNOTES_DATA=../shared/data flock /tmp/nnnotes-cpu.lock .venv/bin/python tools/bench_mnist_cnn.py
"""
import argparse, json, os, platform, sys, time
from pathlib import Path
os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '2')
import numpy as np
from nnnotes.core import set_seed, atomic_write
from nnnotes import data
from nnnotes.vision import build_cnn, one_cycle
import keras

TARGET = 0.992


class TestAccuracyTimer(keras.callbacks.Callback):
    "Evaluate on a test set after every epoch; time training without these evaluations; note when `target` accuracy is first reached."
    def __init__(self, test_images, test_labels, target:float=TARGET):
        super().__init__()
        self.test_images, self.test_labels, self.target = test_images, test_labels, target
        self.accuracies, self.train_seconds, self.reached_at = [], [], None
    def on_train_begin(self, logs=None): self._start, self._evaluating = time.perf_counter(), 0.0
    def on_epoch_end(self, epoch, logs=None):
        now = time.perf_counter()
        self.train_seconds.append(now - self._start - self._evaluating)
        accuracy = float(self.model.evaluate(self.test_images, self.test_labels, batch_size=1000, verbose=0)[-1])
        self._evaluating += time.perf_counter() - now
        self.accuracies.append(accuracy)
        if self.reached_at is None and accuracy >= self.target:
            self.reached_at = {'epoch': epoch + 1, 'seconds': self.train_seconds[-1]}


def reference_cnn():
    "keras-io 'Simple MNIST convnet' (examples/vision/mnist_convnet.py), with the pixel scaling inside the model."
    L = keras.layers
    return keras.Sequential([keras.Input((28, 28, 1)), L.Rescaling(1 / 255),
                             L.Conv2D(32, 3, activation='relu'), L.MaxPooling2D(2),
                             L.Conv2D(64, 3, activation='relu'), L.MaxPooling2D(2),
                             L.Flatten(), L.Dropout(0.5), L.Dense(10, activation='softmax')], name='keras_io_reference')


def recipes(train_size):
    "(name, model builder, epochs, batch size, optimizer builder) for each contender."
    lean_epochs, lean_batch = 3, 256
    lean_steps = lean_epochs * int(np.ceil(train_size * 0.9 / lean_batch))
    return [('keras-io reference CNN (15 epochs, batch 128, Adam 1e-3)', reference_cnn, 15, 128, lambda: keras.optimizers.Adam()),
            (f'lesson 3 lean CNN ({lean_epochs} epochs, batch {lean_batch}, Adam one-cycle 5e-3)', build_cnn, lean_epochs, lean_batch,
             lambda: keras.optimizers.Adam(one_cycle(0.005, lean_steps)))]


def cpu_name():
    try:
        for line in Path('/proc/cpuinfo').read_text().splitlines():
            if line.startswith('model name'): return line.split(':', 1)[1].strip()
    except OSError: pass
    return platform.processor() or 'unknown'


def machine_info():
    "The machine a benchmark runs on: CPU, core count, Keras and its backend, load average at the start."
    return {'cpu': cpu_name(), 'cpu_count': os.cpu_count(), 'keras': keras.__version__, 'backend': keras.backend.backend(),
            'load_average_at_start': [round(x, 2) for x in os.getloadavg()]}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--out', default=str(Path(__file__).resolve().parent.parent / 'nnnotes/resources/bench_mnist_cnn.json'))
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args(argv)
    mnist = data.mnist(progress=False)
    (train_images, train_labels), (test_images, test_labels) = mnist.train, mnist.test
    train_images, test_images = train_images[..., None], test_images[..., None]
    machine = {'cpu': cpu_name(), 'cpu_count': os.cpu_count(), 'platform': platform.platform(terse=True),
               'keras': keras.__version__, 'backend': keras.backend.backend(),
               'load_average_at_start': [round(x, 2) for x in os.getloadavg()]}
    if keras.backend.backend() == 'tensorflow':
        import tensorflow as tf
        machine['tensorflow'] = tf.__version__
    print('machine:', machine, flush=True)
    results = []
    for name, build, epochs, batch_size, optimizer in recipes(len(train_labels)):
        set_seed(args.seed)
        model = build()
        model.compile(optimizer=optimizer(), loss='sparse_categorical_crossentropy', metrics=['accuracy'])
        timer = TestAccuracyTimer(test_images, test_labels, target=TARGET)
        started = time.perf_counter()
        model.fit(train_images, train_labels, batch_size=batch_size, epochs=epochs, validation_split=0.1, verbose=0, callbacks=[timer])
        wall = time.perf_counter() - started
        row = {'model': name, 'params': int(model.count_params()), 'epochs': epochs, 'batch_size': batch_size,
               'seconds_to_99_2': None if timer.reached_at is None else round(timer.reached_at['seconds'], 1),
               'epoch_reached': None if timer.reached_at is None else timer.reached_at['epoch'],
               'train_seconds': round(timer.train_seconds[-1], 1), 'wall_seconds_with_test_evaluations': round(wall, 1),
               'final_test_accuracy': round(timer.accuracies[-1], 4),
               'test_accuracy_per_epoch': [round(a, 4) for a in timer.accuracies],
               'train_seconds_at_epoch_end': [round(t, 1) for t in timer.train_seconds]}
        results.append(row)
        print(json.dumps(row), flush=True)
    ref, lean = results
    ratio = (lean['seconds_to_99_2'] / ref['seconds_to_99_2']) if ref['seconds_to_99_2'] and lean['seconds_to_99_2'] else None
    report = {'target_accuracy': TARGET, 'seed': args.seed, 'machine': machine, 'results': results,
              'time_ratio_lean_to_reference': None if ratio is None else round(ratio, 3),
              'date': time.strftime('%Y-%m-%d %H:%M'),
              'how_time_is_counted': 'training wall time from the start of fit, including tracing and the validation pass on the '
                                     '10% validation split; excluding the test-set evaluation after each epoch'}
    print(f"\n{'model':<62} {'params':>8} {'s to 99.2%':>11} {'epoch':>6} {'final acc':>10} {'train s':>8}")
    for r in results:
        reached = f"{r['seconds_to_99_2']:.1f}" if r['seconds_to_99_2'] is not None else 'never'
        print(f"{r['model']:<62} {r['params']:>8,} {reached:>11} {str(r['epoch_reached']):>6} {r['final_test_accuracy']:>10.2%} {r['train_seconds']:>8.1f}")
    print(f"time ratio (lean / reference): {report['time_ratio_lean_to_reference']}")
    atomic_write(args.out, json.dumps(report, indent=1) + '\n')
    print('written', args.out)


if __name__ == '__main__':
    main()
