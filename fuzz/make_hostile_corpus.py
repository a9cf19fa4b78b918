#!/usr/bin/env python3
"""Writes the hostile-frame corpus to tests/protocol/hostile/ (committed; rerun after a change).

Each file is one request body an attacker or a broken peer could send. Its name starts with the
error code protocol::decode() must answer (`ok` for frames that decode but that the server must
refuse: forged tables, injected names). tests/protocol/hostile_corpus_test.cpp replays them
through decode(); tests/shared/hostile_replay_test.cpp through central::handle() with a valid
credential, asserting an error frame and nothing written. The fuzz targets use them as seeds.

A tiny msgpack encoder is inlined so the script needs nothing but Python 3.
"""
import os
import struct
import sys

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "protocol", "hostile")
DEVICE = "0190a6e2-7c4d-7b3a-9f10-5c2e8d4a1b01"
ROW = "0190a6e3-0001-7000-8000-000000000001"


class Raw(bytes):
    """Bytes inserted verbatim (hand-made headers, ext types, reserved bytes)."""


class Map(list):
    """A msgpack map as a list of pairs (so duplicate keys can be written)."""


def pack(o):
    if isinstance(o, Raw):
        return bytes(o)
    if o is None:
        return b"\xc0"
    if o is True:
        return b"\xc3"
    if o is False:
        return b"\xc2"
    if isinstance(o, int):
        if 0 <= o < 128:
            return bytes([o])
        if -32 <= o < 0:
            return struct.pack("b", o)
        if 0 <= o < 2**8:
            return b"\xcc" + struct.pack(">B", o)
        if 0 <= o < 2**16:
            return b"\xcd" + struct.pack(">H", o)
        if 0 <= o < 2**32:
            return b"\xce" + struct.pack(">I", o)
        if 0 <= o < 2**64:
            return b"\xcf" + struct.pack(">Q", o)
        return b"\xd3" + struct.pack(">q", o)
    if isinstance(o, float):
        return b"\xcb" + struct.pack(">d", o)
    if isinstance(o, str):
        b = o.encode("utf-8")
        return str_header(len(b)) + b
    if isinstance(o, bytes):
        if len(o) < 256:
            return b"\xc4" + bytes([len(o)]) + o
        return b"\xc6" + struct.pack(">I", len(o)) + o
    if isinstance(o, Map):
        n = len(o)
        head = bytes([0x80 | n]) if n < 16 else b"\xde" + struct.pack(">H", n)
        return head + b"".join(pack(k) + pack(v) for k, v in o)
    if isinstance(o, list):
        n = len(o)
        head = bytes([0x90 | n]) if n < 16 else b"\xdc" + struct.pack(">H", n)
        return head + b"".join(pack(x) for x in o)
    raise TypeError(type(o))


def str_header(n):
    if n < 32:
        return bytes([0xA0 | n])
    if n < 256:
        return b"\xd9" + bytes([n])
    if n < 65536:
        return b"\xda" + struct.pack(">H", n)
    return b"\xdb" + struct.pack(">I", n)


def frame(body, type_=6, version=1, rid=3):
    return [version, type_, rid, body]


def change(**kw):
    c = dict(seq=1, table="observation", row_id=ROW, op=1, hlc=(1733000000000 << 16) | 1,
             owner_gad="170151", fields=Map([("value", 12.5), ("observed_at", "2024-11-29")]), base=0)
    c.update(kw)
    return [c["seq"], c["table"], c["row_id"], c["op"], c["hlc"], c["owner_gad"], c["fields"], c["base"]]


def push(*changes, device=DEVICE):
    return frame([device, list(changes)])


def nested(depth, leaf=0):
    """`depth` one-element arrays around `leaf`, as raw bytes (no recursion in the encoder)."""
    return Raw(b"\x91" * depth + pack(leaf))


HELLO = frame([1, 1, DEVICE, "minga hostile"], type_=2)
PULL = frame([0, 100, 65536], type_=8)
GOOD_PUSH = push(change())

corpus = {
    # Not a frame at all.
    "bad_frame__empty": b"",
    "bad_frame__nil_root": pack(None),
    "bad_frame__map_root": pack(Map([("version", 1)])),
    "bad_frame__reserved_byte_c1": b"\xc1",
    "bad_frame__envelope_of_three": pack([1, 2, 0]),
    "bad_frame__envelope_of_five": pack([1, 2, 0, [1, 1, DEVICE, "x"], 0]),
    # Wrong types in the envelope and bodies.
    "bad_frame__version_is_a_string": pack(["1", 2, 0, [1, 1, DEVICE, "x"]]),
    "bad_frame__type_is_negative": pack([1, -2, 0, [1, 1, DEVICE, "x"]]),
    "bad_frame__type_unknown_200": pack(frame([], type_=200)),
    "bad_frame__request_id_is_float": pack([1, 2, 1.5, [1, 1, DEVICE, "x"]]),
    "bad_frame__hello_body_is_a_string": pack(frame("hola", type_=2)),
    "bad_frame__hello_missing_fields": pack(frame([1], type_=2)),
    "bad_frame__push_changes_is_a_map": pack(frame([DEVICE, Map()])),
    "bad_input__change_op_unknown": pack(push(change(op=9))),
    "bad_frame__change_seq_negative": pack(push(change(seq=-1))),
    "bad_frame__change_table_is_nil": pack(push(change(table=None))),
    "bad_frame__field_value_is_bool": pack(push(change(fields=Map([("value", True)])))),
    "bad_frame__field_value_is_array": pack(push(change(fields=Map([("value", [1, 2])])))),
    "bad_frame__field_value_above_int64": pack(push(change(fields=Map([("value", 2**64 - 1)])))),
    "bad_frame__ext_type_in_field": pack(push(change(fields=Map([("value", Raw(b"\xd4\x01\x00"))])))),
    "bad_frame__pull_is_hello_shaped": pack(frame([1, 1, DEVICE, "x"], type_=8)),
    "ok__server_message_type_sent_by_client": pack(frame([0, 0, 0, 0, []], type_=9)),
    # Versions nobody serves.
    "unsupported_version__version_0": pack(frame([1, 1, DEVICE, "x"], type_=2, version=0)),
    "unsupported_version__version_99": pack(frame([1, 1, DEVICE, "x"], type_=2, version=99)),
    # Huge declared lengths with few bytes behind them.
    "bad_frame__str32_declares_4gb": pack(frame([Raw(b"\xdb\xff\xff\xff\xff" + b"x" * 8), []])),
    "bad_frame__bin32_declares_4gb": pack(push(change(fields=Map([("photo", Raw(b"\xc6\xff\xff\xff\xff\x00"))])))),
    "too_large__array32_declares_4g_changes": pack(frame([DEVICE, Raw(b"\xdd\xff\xff\xff\xff")])),
    "too_large__map32_declares_4g_fields": pack(push(change(fields=Raw(b"\xdf\xff\xff\xff\xff")))),
    "too_large__array16_declares_65535_blocks": pack(frame([DEVICE, Raw(b"\xdc\xff\xff")])),
    # Deep nesting.
    "too_large__nesting_100_deep_body": pack(frame(nested(100))),
    "too_large__nesting_in_field_value": pack(push(change(fields=Map([("value", nested(8))])))),
    "too_large__nesting_1000_deep_root": pack(nested(1000)),
    # Oversized values.
    "too_large__note_over_64k": pack(push(change(fields=Map([("note", "x" * (64 * 1024 + 1))])))),
    "too_large__row_id_over_64_bytes": pack(push(change(row_id="r" * 65))),
    "too_large__device_name_over_256_bytes": pack(frame(["t" * 32, "n" * 257, DEVICE], type_=4)),
    # Truncated and trailing bytes.
    "bad_frame__push_truncated_half": pack(GOOD_PUSH)[: len(pack(GOOD_PUSH)) // 2],
    "bad_frame__push_truncated_last_byte": pack(GOOD_PUSH)[:-1],
    "bad_frame__hello_truncated_in_header": pack(HELLO)[:3],
    "bad_frame__str8_declares_more_than_sent": pack(frame([Raw(b"\xd9\x64" + b"x" * 10), []])),
    "bad_frame__trailing_nil": pack(HELLO) + b"\xc0",
    "bad_frame__two_frames": pack(PULL) + pack(PULL),
    # Decodes structurally but breaks validate().
    "bad_input__change_hlc_zero": pack(push(change(hlc=0))),
    "bad_input__duplicate_field_names": pack(push(change(fields=Map([("value", 1), ("value", 2)])))),
    "bad_input__invalid_utf8_in_note": pack(push(change(fields=Map([("note", Raw(b"\xa2\xc3\x28"))])))),
    "bad_input__pull_max_rows_zero": pack(frame([0, 0, 65536], type_=8)),
    "bad_input__remove_with_fields": pack(push(change(op=2))),
    # Valid frames the server must still refuse (scope, names it never runs as SQL).
    "bad_input__push_table_name_injection": pack(push(change(table="observation; DROP TABLE device"))),
    "bad_input__push_column_name_injection": pack(push(change(fields=Map([("value) VALUES (1); --", 1)])))),
    "ok__push_catalogue_table": pack(push(change(table="organisation", owner_gad="", fields=Map([("name", "x")])))),
    "ok__push_device_table": pack(push(change(table="device", fields=Map([("status", "activo")])))),
    "ok__push_other_gad": pack(push(change(owner_gad="090150"))),
    "ok__push_other_device_id": pack(push(change(), device="0190a6e2-0000-7000-8000-000000000000")),
    "ok__push_observation_in_another_devices_name": pack(push(change(fields=Map([("device_id", "otro")])))),
    "ok__enroll_unknown_token": pack(frame(["0" * 32, "tableta", DEVICE], type_=4)),
}


def main():
    os.makedirs(OUT, exist_ok=True)
    for name in os.listdir(OUT):
        if name.endswith(".mpac"):
            os.remove(os.path.join(OUT, name))
    for name, data in sorted(corpus.items()):
        if not isinstance(data, bytes):
            data = pack(data)
        with open(os.path.join(OUT, name + ".mpac"), "wb") as f:
            f.write(data)
    print(f"{len(corpus)} hostile frames in {os.path.normpath(OUT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
