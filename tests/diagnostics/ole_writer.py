"""A minimal writer of OLE compound files ([MS-CFB] version 3), to build Outlook .msg files in tests.

olefile reads compound files but cannot write them, and no maintained library writes .msg files. This
writes what [MS-CFB] requires and nothing more: 512-byte sectors, one FAT (no DIFAT, so at most 109 FAT
sectors, about 7 MB), streams under 4,096 bytes in the mini stream, and each storage's children as a chain
of right siblings (a valid, if unbalanced, red-black tree of black nodes).
"""
from __future__ import annotations

import struct

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
FREE, END, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
STORAGE, STREAM, ROOT = 1, 2, 5


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A compound file holding `streams`, keyed by path ("storage/stream"); storages are made as needed."""
    entries = [{"name": "Root Entry", "type": ROOT, "children": [], "data": b""}]
    storages = {"": 0}
    for path in sorted(streams):
        parent = ""
        for part in path.split("/")[:-1]:
            here = f"{parent}/{part}" if parent else part
            if here not in storages:
                storages[here] = len(entries)
                entries[storages[parent]]["children"].append(len(entries))
                entries.append({"name": part, "type": STORAGE, "children": [], "data": b""})
            parent = here
        entries[storages[parent]]["children"].append(len(entries))
        entries.append({"name": path.split("/")[-1], "type": STREAM, "children": [], "data": streams[path]})

    fat: list[int] = []
    body = bytearray()

    def allocate(data: bytes) -> int:
        """Append whole sectors holding `data`, chained in the FAT; the first sector's number."""
        count = max(1, -(-len(data) // SECTOR))
        first = len(fat)
        fat.extend(first + n + 1 for n in range(count))
        fat[-1] = END
        body.extend(data.ljust(count * SECTOR, b"\0"))
        return first

    mini_fat: list[int] = []
    mini = bytearray()
    for entry in entries[1:]:
        data = entry["data"]
        if entry["type"] != STREAM or not data:
            entry["start"] = END if entry["type"] == STREAM else 0
        elif len(data) < MINI_CUTOFF:
            count = -(-len(data) // MINI_SECTOR)
            entry["start"] = first = len(mini_fat)
            mini_fat.extend(first + n + 1 for n in range(count))
            mini_fat[-1] = END
            mini.extend(data.ljust(count * MINI_SECTOR, b"\0"))
        else:
            entry["start"] = allocate(data)
    entries[0]["start"] = allocate(bytes(mini)) if mini else END
    entries[0]["size"] = len(mini)
    mini_fat_start = allocate(b"".join(struct.pack("<I", n) for n in mini_fat)) if mini_fat else END
    mini_fat_sectors = -(-len(mini_fat) * 4 // SECTOR)

    right = {child: following for entry in entries
             for child, following in zip(entry["children"], entry["children"][1:])}
    directory = b"".join(_directory_entry(entry, right.get(index, NO_STREAM)) for index, entry in enumerate(entries))
    directory_start = allocate(directory.ljust(-(-len(directory) // SECTOR) * SECTOR, b"\0"))
    fat_sectors = 1
    while fat_sectors * SECTOR // 4 < len(fat) + fat_sectors:
        fat_sectors += 1
    fat_start = len(fat)
    fat.extend([FAT_SECTOR] * fat_sectors)
    table = b"".join(struct.pack("<I", n) for n in fat).ljust(fat_sectors * SECTOR, b"\xff")
    body.extend(table)

    difat = [fat_start + n for n in range(fat_sectors)] + [FREE] * (109 - fat_sectors)
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
              + struct.pack("<IIIIIIIII", 0, fat_sectors, directory_start, 0, MINI_CUTOFF,
                            mini_fat_start, mini_fat_sectors, END, 0)
              + b"".join(struct.pack("<I", n) for n in difat))
    return header + bytes(body)


def _directory_entry(entry: dict, right: int) -> bytes:
    name = entry["name"].encode("utf-16-le") + b"\0\0"
    child = entry["children"][0] if entry["children"] else NO_STREAM
    size = entry.get("size", len(entry["data"]))
    return (name.ljust(64, b"\0") + struct.pack("<HBB", len(name), entry["type"], 1)
            + struct.pack("<III", NO_STREAM, right, child) + bytes(16 + 4 + 8 + 8)
            + struct.pack("<IQ", entry["start"], size))
