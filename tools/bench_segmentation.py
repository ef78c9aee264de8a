"""Benchmark: the keras-io U-Net recipe vs lesson 14's lean U-Net on the Weizmann horses, trained one after the other on this machine.

Both train on the same 262 photos and are scored on the same 66 held-out photos (the lesson's test split; the lesson itself
keeps 32 of the 262 for validation). For each model it records the test horse IoU after every epoch with the training time so
far, the time at which the IoU first reaches the target (the reference's 20-epoch figure in ANCHORS.md, 0.68), the final IoU
and the parameter count, and writes them to a JSON file (default: nnnotes/resources/bench_segmentation.json, which ships with
the package and which lesson 14's appendix shows).

The reference is keras-io's "Image segmentation with a U-Net-like architecture" (examples/vision/oxford_pets_image_segmentation.py):
its Xception-style model as published, with the pixel scaling inside the model, batch 32, Adam 1e-3, per-pixel cross-entropy, no
augmentation, except BatchNorm momentum 0.9: with Keras's default 0.99 its test IoU stays at 0 in inference mode on this small set
(ANCHORS.md).

How time is counted: the clock runs from the start of `fit` (so graph tracing and the first epoch's warm-up are included) and
includes Keras's own validation pass on the 66 test photos; nothing else is evaluated during training. Scoring the test set after
every epoch is a benchmark protocol for timing, never a way to choose a model. It is a benchmark, not a test: run it by hand (about
6 minutes on a 2-core CPU), e.g.

    NNNOTES_DATA=../shared/data flock /tmp/nnnotes-cpu.lock .venv/bin/python tools/bench_segmentation.py
"""
import argparse, os, sys
from pathlib import Path
os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '2')
import numpy as np
from nnnotes.core import set_seed
from nnnotes import data
from nnnotes.segmentation import build_unet, fit_segmenter, SegmentationIoU
import keras
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_mnist_cnn import machine_info
from bench_autoencoder import EpochTimer, write_report

TARGET = 0.68                 # the reference's test horse IoU after 20 epochs, measured here (ANCHORS.md)
REFERENCE_EPOCHS = 20
LEAN_EPOCHS, LEAN_BATCH, LEAN_PEAK, LEAN_FILTERS = 10, 16, 4e-3, (12, 24, 48, 96)   # lesson 14's recipe (keep in step with the lesson)


def reference_unet(img_size=(128, 128), num_classes=2, momentum=0.9):
    "keras-io's Xception-style U-Net (oxford_pets_image_segmentation.py) as published, plus input scaling and BatchNorm `momentum`."
    L = keras.layers
    inputs = keras.Input(img_size + (3,))
    x = L.Rescaling(1 / 255)(inputs)
    x = L.Conv2D(32, 3, strides=2, padding='same')(x)
    x = L.BatchNormalization(momentum=momentum)(x)
    x = L.Activation('relu')(x)
    previous = x
    for filters in [64, 128, 256]:
        x = L.Activation('relu')(x)
        x = L.SeparableConv2D(filters, 3, padding='same')(x)
        x = L.BatchNormalization(momentum=momentum)(x)
        x = L.Activation('relu')(x)
        x = L.SeparableConv2D(filters, 3, padding='same')(x)
        x = L.BatchNormalization(momentum=momentum)(x)
        x = L.MaxPooling2D(3, strides=2, padding='same')(x)
        residual = L.Conv2D(filters, 1, strides=2, padding='same')(previous)
        x = L.add([x, residual])
        previous = x
    for filters in [256, 128, 64, 32]:
        x = L.Activation('relu')(x)
        x = L.Conv2DTranspose(filters, 3, padding='same')(x)
        x = L.BatchNormalization(momentum=momentum)(x)
        x = L.Activation('relu')(x)
        x = L.Conv2DTranspose(filters, 3, padding='same')(x)
        x = L.BatchNormalization(momentum=momentum)(x)
        x = L.UpSampling2D(2)(x)
        residual = L.UpSampling2D(2)(previous)
        residual = L.Conv2D(filters, 1, padding='same')(residual)
        x = L.add([x, residual])
        previous = x
    outputs = L.Conv2D(num_classes, 3, activation='softmax', padding='same')(x)
    return keras.Model(inputs, outputs, name='keras_io_reference')


def split():
    "The lesson's split: 66 test photos (seed 0), the other 262 for training."
    horses = data.segmentation(progress=False).all
    order = np.random.default_rng(0).permutation(len(horses.x))
    test, train = order[:66], order[66:]
    return horses.x[train], horses.y[train], horses.x[test], horses.y[test]


def timer():
    return EpochTimer(TARGET, metric='val_iou_horse', label='test horse IoU', key='test_horse_iou', digits=4, higher_is_better=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--out', default=str(Path(__file__).resolve().parent.parent / 'nnnotes/resources/bench_segmentation.json'))
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--reference-epochs', type=int, default=REFERENCE_EPOCHS, help='fewer saves time (the target may then not be reached)')
    args = parser.parse_args(argv)
    x_train, y_train, x_test, y_test = split()
    machine = machine_info()
    print('machine:', machine, flush=True)
    results = []

    name = f'keras-io reference U-Net ({args.reference_epochs} epochs, batch 32, Adam 1e-3, BatchNorm momentum 0.9)'
    print(name, flush=True)
    set_seed(args.seed)
    model = reference_unet()
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss='sparse_categorical_crossentropy',
                  metrics=[SegmentationIoU(2, class_id=1, name='iou_horse')])
    clock = timer()
    model.fit(x_train.astype('float32'), y_train.astype('int32'), batch_size=32, epochs=args.reference_epochs, shuffle=True,
              validation_data=(x_test.astype('float32'), y_test.astype('int32')), verbose=0, callbacks=[clock])
    results.append(clock.result(name, model, args.reference_epochs, 32))

    name = (f'lesson 14 lean U-Net ({LEAN_EPOCHS} epochs, batch {LEAN_BATCH}, Adam one-cycle {LEAN_PEAK:g}, '
            'cross-entropy + Dice, flips and shifts)')
    print(name, flush=True)
    set_seed(args.seed)
    model = build_unet(2, LEAN_FILTERS)
    clock = timer()
    fit_segmenter(model, x_train, y_train, (x_test, y_test), epochs=LEAN_EPOCHS, batch_size=LEAN_BATCH, peak_learning_rate=LEAN_PEAK,
                  class_names=('background', 'horse'), seed=args.seed, callbacks=[clock])
    results.append(clock.result(name, model, LEAN_EPOCHS, LEAN_BATCH))
    write_report(results, clock, REFERENCE_EPOCHS, args.seed, machine,
                 'training wall time from the start of fit, including tracing and the validation pass on the 66 test photos', args.out)


if __name__ == '__main__':
    main()
