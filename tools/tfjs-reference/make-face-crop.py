#!/usr/bin/python3
"""Writes face-crop-64.json: a real face (skimage's astronaut.png) as a 64x64 gray crop, integers 0..255, row-major.

Run with Debian's /usr/bin/python3 (it has skimage). The gray weights are @vladmandic/human's
(src/tfjs/constants.ts `rgb: [0.2989, 0.5870, 0.1140]`), so the crop is what human would feed the emotion model.
"""
import json
import sys

import numpy as np
from skimage import io, transform

SOURCE = "/usr/lib/python3/dist-packages/skimage/data/astronaut.png"
out = sys.argv[1] if len(sys.argv) > 1 else "face-crop-64.json"

rgb = io.imread(SOURCE)[50:190, 160:300].astype(np.float64)  # 140x140 box around the face
gray = rgb @ np.array([0.2989, 0.5870, 0.1140])
small = transform.resize(gray, (64, 64), order=1, anti_aliasing=True, preserve_range=True)
pixels = np.clip(np.rint(small), 0, 255).astype(int)
with open(out, "w") as f:
    json.dump({"source": "skimage astronaut.png rows 50:190, cols 160:300", "size": 64,
               "pixels": pixels.reshape(-1).tolist()}, f)
print(out, pixels.shape, pixels.min(), pixels.max())
