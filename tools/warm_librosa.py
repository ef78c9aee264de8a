"""Compile librosa's numba code into NUMBA_CACHE_DIR once, as part of installing (tools/test.sh runs it).

On a fresh machine the first librosa call compiles numba functions for about 20 s; with the cache written here,
lessons 8 and 20 load them instead, so their test time is the lesson's own. Calls every librosa feature the
course uses on two seconds of a synthetic chord (no data needed). Prints what it did and how long it took.
"""
import os, time

def main():
    if not os.environ.get('NUMBA_CACHE_DIR'):
        raise SystemExit('warm_librosa: set NUMBA_CACHE_DIR to the folder lessons will read the compiled code from.')
    started = time.time()
    import numpy as np, librosa
    rate = 22050
    t = np.arange(2 * rate) / rate
    wave = (0.3 * np.sin(2 * np.pi * 220 * t) + 0.2 * np.sin(2 * np.pi * 330 * t) + 0.01 * np.random.default_rng(0).normal(size=t.size)).astype(np.float32)
    power = np.abs(librosa.stft(wave)) ** 2
    librosa.amplitude_to_db(np.sqrt(power)); librosa.power_to_db(power)
    librosa.feature.melspectrogram(y=wave, sr=rate)
    mfcc = librosa.feature.mfcc(y=wave, sr=rate, n_mfcc=20)
    librosa.feature.delta(mfcc)
    for feature in (librosa.feature.chroma_stft, librosa.feature.spectral_centroid, librosa.feature.spectral_rolloff,
                    librosa.feature.spectral_bandwidth):
        feature(y=wave, sr=rate)
    librosa.feature.rms(y=wave); librosa.feature.zero_crossing_rate(wave)
    librosa.feature.tempo(y=wave, sr=rate)
    librosa.effects.trim(wave, top_db=30); librosa.effects.hpss(wave); librosa.effects.time_stretch(wave, rate=1.2)
    librosa.resample(wave, orig_sr=rate, target_sr=8000)
    print(f"librosa {librosa.__version__}: numba code compiled into {os.environ['NUMBA_CACHE_DIR']} in {time.time() - started:.0f} s")

if __name__ == '__main__': main()
