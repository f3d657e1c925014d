#!/usr/bin/env python3
"""Make TorchSharp 0.107's libLibTorchSharp.so load on Debian 12 (libstdc++ up to GLIBCXX_3.4.30).

The library asks for GLIBCXX_3.4.32 only for std::ios_base_library_init(), a symbol GCC 13 references
to force iostream start-up and never calls. Renaming that version-need entry (its .dynstr string and its
ELF hash) to GLIBCXX_3.4.30 lets the dynamic loader accept the system libstdc++. Hand-written because
patchelf cannot rename a version need and is not needed for a same-length rename.

Usage: patch_libtorchsharp.py FILE...   (idempotent; does nothing where the system libstdc++ has 3.4.32)
"""
import glob
import os
import struct
import sys

OLD, NEW = b"GLIBCXX_3.4.32", b"GLIBCXX_3.4.30"


def elf_hash(name: bytes) -> int:
    h = 0
    for c in name:
        h = ((h << 4) + c) & 0xFFFFFFFF
        g = h & 0xF0000000
        if g:
            h ^= g >> 24
        h &= ~g & 0xFFFFFFFF
    return h


def system_has_glibcxx_3_4_32() -> bool:
    candidates = glob.glob("/usr/lib/x86_64-linux-gnu/libstdc++.so.6*") + glob.glob("/usr/lib64/libstdc++.so.6*") \
        + glob.glob("/lib/x86_64-linux-gnu/libstdc++.so.6*")
    for path in candidates:
        if os.path.isfile(path) and not os.path.islink(path):
            with open(path, "rb") as f:
                if OLD in f.read():
                    return True
    return False


def patch(path: str) -> str:
    with open(path, "rb") as f:
        data = bytearray(f.read())
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise ValueError("not a little-endian ELF64 file")
    e_shoff, = struct.unpack_from("<Q", data, 0x28)
    e_shentsize, e_shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = []
    for i in range(e_shnum):
        off = e_shoff + i * e_shentsize
        sh_name, sh_type, _flags, _addr, sh_offset, sh_size, sh_link, sh_info = struct.unpack_from("<IIQQQQII", data, off)
        sections.append((sh_type, sh_offset, sh_size, sh_link, sh_info))
    SHT_GNU_VERNEED = 0x6FFFFFFE
    verneed = [s for s in sections if s[0] == SHT_GNU_VERNEED]
    if not verneed:
        return "no version needs"
    sh_type, vn_off, _size, link, count = verneed[0]
    strtab_off = sections[link][1]
    changed = False
    pos = vn_off
    for _ in range(count):
        vn_version, vn_cnt, vn_file, vn_aux, vn_next = struct.unpack_from("<HHIII", data, pos)
        aux = pos + vn_aux
        for _ in range(vn_cnt):
            vna_hash, vna_flags, vna_other, vna_name, vna_next = struct.unpack_from("<IHHII", data, aux)
            s = strtab_off + vna_name
            if data[s:s + len(OLD) + 1] == OLD + b"\0":
                data[s:s + len(NEW)] = NEW
                struct.pack_into("<I", data, aux, elf_hash(NEW))
                changed = True
            if vna_next == 0:
                break
            aux += vna_next
        if vn_next == 0:
            break
        pos += vn_next
    if not changed:
        return "already compatible"
    tmp = path + ".patching"
    with open(tmp, "wb") as f:
        f.write(data)
    os.chmod(tmp, os.stat(path).st_mode)
    os.replace(tmp, path)
    return "patched GLIBCXX_3.4.32 -> 3.4.30"


def main(argv):
    if system_has_glibcxx_3_4_32():
        print("libstdc++ has GLIBCXX_3.4.32: no TorchSharp patch needed")
        return 0
    for path in argv[1:]:
        if os.path.isfile(path):
            print(f"{path}: {patch(path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
