#!/usr/bin/python3
"""Writes face-crop-112.json: a real face (skimage's astronaut.png) as a 112x112 RGB crop, integers 0..255, row-major
(height, width, RGB), the layout face-api's nets take. With a size, another side: 150 for the recognition net.

Usage: make-face-crop.py [OUT.json [SIZE]]   (defaults: face-crop-112.json, 112)

Run with Debian's /usr/bin/python3 (it has skimage). The box is the one tools/tfjs-reference/make-face-crop.py uses,
square and around the whole face, roughly what a face detector hands face-api's landmark and expression nets.
"""
import json
import sys

import numpy as np
from skimage import io, transform

SOURCE = "/usr/lib/python3/dist-packages/skimage/data/astronaut.png"
out = sys.argv[1] if len(sys.argv) > 1 else "face-crop-112.json"
size = int(sys.argv[2]) if len(sys.argv) > 2 else 112

rgb = io.imread(SOURCE)[50:190, 160:300, :3].astype(np.float64)  # 140x140 box around the face
small = transform.resize(rgb, (size, size, 3), order=1, anti_aliasing=True, preserve_range=True)
pixels = np.clip(np.rint(small), 0, 255).astype(int)
with open(out, "w") as f:
    json.dump({"source": "skimage astronaut.png rows 50:190, cols 160:300, RGB", "size": size,
               "pixels": pixels.reshape(-1).tolist()}, f)
print(out, pixels.shape, pixels.min(), pixels.max())
