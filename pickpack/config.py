"""Typed, strict configuration read from config.toml.

Unknown keys are an error that names the key; every field is documented here and in the
example config.toml. Secrets (database passwords) never live here: see ``db.engine``.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tomllib
import zoneinfo
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from pickpack.i18n import N_, _, locale_language

StationMode = Literal["pick", "verify", "pack", "weigh", "ship", "returns", "desk"]
RouteStep = Literal["pick", "verify", "pack", "weigh", "ship"]
DEFAULT_ROUTE: tuple[RouteStep, ...] = ("pick", "verify", "pack", "weigh", "ship")
ROUTE_STEPS: tuple[str, ...] = DEFAULT_ROUTE


class ConfigError(Exception):
    """The config file is missing, unreadable or has a bad/unknown key."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _regex(value: str) -> str:
    """A pattern that compiles, else a ValueError saying why (the loader names the key)."""
    try:
        re.compile(value)
    except (re.error, RecursionError, OverflowError) as exc:
        raise ValueError(_("invalid regular expression {value!r}: {exc}").format(
            value=value, exc=_regex_words(exc))) from None
    return value


REGEX_WORDS = {
    "missing ), unterminated subpattern": N_("missing ), unterminated subpattern"),
    "unterminated character set": N_("unterminated character set"),
    "nothing to repeat": N_("nothing to repeat"), "multiple repeat": N_("multiple repeat"),
    "unbalanced parenthesis": N_("unbalanced parenthesis"),
    "missing >, unterminated name": N_("missing >, unterminated name"),
    "unknown extension": N_("unknown extension"),
}
"""The ``re`` module's usual complaints about a pattern, in words."""


def _regex_words(exc: Exception) -> str:
    """Why ``re`` refused a pattern, in the station's language (its position as a number)."""
    if not isinstance(exc, re.error):
        return _("the pattern is too deep or too big")
    why = exc.msg.split(" ?")[0] if exc.msg.startswith("unknown extension") else exc.msg
    words = _(REGEX_WORDS[why]) if why in REGEX_WORDS else _("not a valid pattern ({why})").format(
        why=exc.msg)
    return words if exc.pos is None else _("{why} at position {pos}").format(why=words, pos=exc.pos)


_CLOCK = re.compile(r"(?P<h>[01]\d|2[0-3]):(?P<m>[0-5]\d)")


class StoreConfig(_Strict):
    url: str = "sqlite:///pickpack.db"
    """SQLAlchemy URL. The password of a PostgreSQL URL comes from PICKPACK_DB_PASSWORD."""
    pool_size: int = 3
    """Connections a station keeps to PostgreSQL."""
    connect_timeout_s: float = 3.0
    """How long a station waits for the central store before it works offline."""
    journal: str = "pickpack-journal.db"
    """Local SQLite journal used while the central store is unreachable."""


class StationConfig(_Strict):
    id: str = Field(default="S1", min_length=1, max_length=16)
    """Station id recorded on every event (1 to 16 characters: the store's column)."""
    mode: StationMode = "verify"
    language: Literal["en", "zh_CN"] = Field(default_factory=locale_language)
    """The station's language; unset: the terminal's locale (``LC_ALL``/``LANG``), else zh_CN."""
    print_on_verify: bool | None = None
    """Deprecated: read as ``[workflow] print_at`` (true: "verify"), with a one-line notice."""
    idle_logout_min: float = 15
    """Log the operator out after this many minutes without a scan."""

    @field_validator("id")
    @classmethod
    def _id_printable(cls, value: str) -> str:
        if not value.isprintable() or value != value.strip():
            raise ValueError(_("station id {value!r}: printable characters, no edge spaces").format(
                value=value))
        return value


class WorkflowConfig(_Strict):
    route: list[RouteStep] = Field(default_factory=lambda: list(DEFAULT_ROUTE))
    """Stations an order passes, in order. Stations left out are skipped by the lifecycle."""
    print_at: Literal["verify", "desk"] = "verify"
    """Where the express + packing slip pair prints: the last good verify scan, or the desk."""
    verify_own_pick: Literal["warn", "refuse", "allow"] = "warn"
    """A verifier scanning a basket they picked themselves: warn (recorded), refuse or allow."""


class ScannerConfig(_Strict):
    source: Literal["keyboard", "evdev", "serial"] = "keyboard"
    device: str = ""
    """evdev path, /dev/input/by-id link, name or VID:PID; or serial port / pyserial URL."""
    baudrate: int = 9600
    terminator: Literal["CR", "LF", "CRLF"] = "CR"
    """Serial scanners: what ends a scan."""
    burst_max_gap_ms: float = 35.0
    """Keyboard wedge: the largest gap between two characters of one scan."""
    burst_min_length: int = 4
    """Keyboard wedge: shorter bursts are taken as a person typing."""


class ScaleConfig(_Strict):
    port: str = ""
    """Serial port or pyserial URL (prefer /dev/serial/by-id/…); empty: no scale; 'sim': simulated."""
    protocol: Literal[
        "mt-sics", "toledo-8217", "toledo-continuous", "cas", "xk3190-a9", "reversed", "pattern"
    ] = "cas"
    baudrate: int = 9600
    bytesize: Literal[7, 8] = 8
    parity: Literal["N", "E", "O"] = "N"
    stopbits: Literal[1, 2] = 1
    stable_window: int = 5
    """Protocols without a stability flag: this many equal readings in a row count as stable."""
    pattern: str = ""
    """protocol = "pattern": a regex with a named group 'weight' (optional 'unit', 'sign', 'stable')."""
    pattern_reversed: bool = False
    pattern_decimals: int = -1
    """-1: the decimal point is in the digits; otherwise the number of implied decimals."""
    pattern_unit: Literal["g", "kg", "lb"] = "kg"
    unit: Literal["", "g", "kg", "lb"] = ""
    """Unit set on the indicator, for protocols whose frames carry none (8217, XK3190, reversed)."""
    poll_interval_ms: int = 200
    """Request/response protocols (MT-SICS, Toledo 8217): how often to ask for a weight."""
    reversed_width: int = 7
    """protocol = "reversed": characters after '=' in a frame."""
    check: Literal["auto", "hex", "nibble"] = "auto"
    """protocol = "xk3190-a9": how the XOR check is written: ASCII hex, 0x30+nibble, or either."""

    @field_validator("pattern")
    @classmethod
    def _pattern(cls, value: str) -> str:
        if value:
            _regex(value)
        return value


class PrintersConfig(_Strict):
    express: str = "preview://slips"
    """usb://VID:PID | tcp://host:9100 | serial:///dev/ttyS0?baudrate=19200 | file://… | cups://… | preview://DIR"""
    packing: str = "preview://slips"
    paper_mm: Literal[58, 80] = 80
    profile: str = "default"
    """python-escpos printer profile (capabilities: native barcodes, QR, fonts)."""
    chinese: bool = True
    """The printer has a Chinese font (FS & mode, GB18030); otherwise ASCII prints in the
    printer's font and Han as drawn characters (or raster lines, see ``drawn_glyphs``)."""
    drawn_glyphs: bool = True
    """Characters the printer's font lacks go out as user-defined characters (ESC & / ESC %),
    keeping the line's layout; false for a printer that does not honour ESC & (some clones in
    Chinese mode): such lines are then printed as raster images."""
    show_prices: bool = True
    """Print prices on the packing slip."""
    sender: str = "示例旗舰店 仓库"
    """Sender printed on the express slip."""


class WeighingConfig(_Strict):
    tolerance_g: float = 30
    tolerance_pct: float = 5
    """The larger of the two tolerances applies."""
    packaging_g: float = 40
    """Carton and filler weight added to the goods' weight."""


class RegionRule(_Strict):
    prefix: str
    """Start of the province name as it appears in the address (e.g. 新疆)."""
    courier: str
    city: str = ""
    """Start of the city name ('' every city of the province); a city rule wins over the
    province's (pickpack.core.couriers.rules)."""
    secondary: str = ""
    """This region's second courier ('' ``[couriers] secondary``)."""


class CourierSettings(_Strict):
    """One courier's own settings: ``[couriers.SF]``."""

    pickup: str = ""
    """When the courier collects (HH:MM, local time); '' is ``[floor] cutoff_handover``."""
    out: list[str] = Field(default_factory=list)
    """Out of its area (超区): a province (``西藏``) or ``"province city"`` (``新疆 阿勒泰地区``)."""
    max_kg: float = Field(default=0, ge=0)
    """Heaviest parcel it takes (goods + packaging), 0 no limit."""

    @field_validator("pickup")
    @classmethod
    def _clock(cls, value: str) -> str:
        if value and not _CLOCK.fullmatch(value):
            raise ValueError(_("{value!r} is not a time of day HH:MM (00:00 to 23:59)").format(
                value=value))
        return value


class CouriersConfig(_Strict):
    default: str = "ZTO"
    secondary: str = "YTO"
    """Used when the default courier's waybill pool is empty."""
    rules: list[RegionRule] = Field(default_factory=list)
    pool_low: int = Field(default=50, ge=0)
    """``pickpack release`` warns when a courier's free waybill numbers fall under this."""
    patterns: dict[str, str] = Field(
        default_factory=lambda: {
            # shapes from public courier-number validators (docs/CODES.md); several may claim
            # one number: the store decides, or the scan is refused as ambiguous
            "SF": r"SF[0-9A-Z]\d{11,12}",
            "JD": r"JD[A-Z0-9]{0,2}\d{11,15}(?:-\d{1,4}-\d{1,4}-?)?",
            "ZTO": r"7[3-68]\d{12}",
            "YTO": r"YT\d{10,15}",
            "YD": r"[34]\d{14}|5\d{12}",
            "STO": r"77\d{12,13}|43\d{13}",
            "JT": r"JT\d{13}",
            "EMS": r"[189]\d{12}|[A-Z]{2}\d{9}[A-Z]{2}",
            "DBL": r"DPK\d{9,13}",
            # 百世: Taobao's own HTKY rule less the shapes other couriers' or orders' numbers
            # take (7… 14 digits: ZTO/STO; 58… 16 digits: platform orders; 12 digits: UPC-A)
            "HTKY": r"[ABDE]\d{12}|BXA\d{10}|K8\d{11}|C0000\d{8}|02\d{11}|5[01]\d{12}|6\d{13}",
            "ZTOKY": r"2\d{11}",
        }
    )
    """Tracking-number pattern per courier code; a match also tells the courier. A table here
    replaces the defaults (list every courier the shop uses)."""
    names: dict[str, str] = Field(
        default_factory=lambda: {
            "SF": "顺丰速运", "ZTO": "中通快递", "YTO": "圆通速递", "YD": "韵达快递", "JD": "京东物流",
            "STO": "申通快递", "JT": "极兔速递", "EMS": "中国邮政 EMS", "DBL": "德邦快递",
            "HTKY": "百世快递", "ZTOKY": "中通快运",
        }
    )
    each: dict[str, CourierSettings] = Field(default_factory=dict)
    """Per courier, from ``[couriers.SF]`` tables (``pickup = "17:00"``)."""

    @model_validator(mode="before")
    @classmethod
    def _courier_tables(cls, data: Any) -> Any:
        """``[couriers.SF] pickup = "17:00"``: a table named by a courier code is that
        courier's settings (gathered into ``each``)."""
        if not isinstance(data, dict):
            return data
        own = set(cls.model_fields)
        tables = {k: v for k, v in data.items() if k not in own and isinstance(v, dict)}
        if not tables:
            return data
        rest = {k: v for k, v in data.items() if k not in tables}
        return {**rest, "each": {**rest.get("each", {}), **tables}}

    def pickup(self, courier: str, cutoff_handover: str) -> str:
        """The courier's pickup time of day (HH:MM); ``[floor] cutoff_handover`` if not set."""
        own = self.each.get(courier)
        return own.pickup if own is not None and own.pickup else cutoff_handover

    @field_validator("patterns")
    @classmethod
    def _patterns(cls, value: dict[str, str]) -> dict[str, str]:
        for code, pattern in value.items():
            try:
                _regex(pattern)
            except ValueError as exc:
                raise ValueError(f"{code}: {exc}") from None
        return value


class BarcodesConfig(_Strict):
    operator: str = r"OP\d{3,6}"
    basket: str = r"B[A-Z]?\d{2,5}"
    command_prefix: str = "CMD:"
    order: str = r"\d{16,20}"
    location: str = r"[A-Z]-\d{2}-\d{2}"
    min_shelf_days: int = Field(default=0, ge=0, le=3650)
    """A lot whose GS1 expiry (17) is closer than this many days is refused at verify (an
    expired lot always is); 0: only expired lots."""

    @field_validator("operator", "basket", "order", "location")
    @classmethod
    def _patterns(cls, value: str) -> str:
        return _regex(value)


class DeskConfig(_Strict):
    """The desk (pickpack/core/desk): what the remark reader knows."""

    gifts: dict[str, str] = Field(default_factory=dict)
    """The gift catalogue, ``[desk.gifts]``: a word a remark or memo uses → the gift's SKU
    (``"小毛巾" = "GIFT-TOWEL"``); the acknowledged gift becomes an order line to pick."""


class FloorConfig(_Strict):
    safety_stock: int = 3
    """Units per SKU held back for defects; release needs on_hand - safety_stock."""
    cutoff_paid: str = "16:00"
    cutoff_handover: str = "16:30"
    late_after_h: int = 72
    warn_after_h: int = 48
    timezone: str = "Asia/Shanghai"
    """The warehouse's time zone: reports and screens show local times."""
    remarks_need_ack: bool = True
    """An order whose remark or memo suggests actions (gift, invoice, courier, no price list…)
    waits in the audit until a clerk acknowledges them (``pickpack order ack``)."""
    bulk_units: int = 20
    """Orders with at least this many units wait for a supervisor's look before release."""
    wave_size: int = Field(default=100, ge=1, le=1000)
    """Waves: at most this many orders in one wave (one batch of slip pairs, one pick list)."""
    wave_few_units: int = Field(default=3, ge=2)
    """Waves: an order of at most this many units (more than one) goes to a few-item wave."""
    audit_round_min: int = Field(default=30, ge=1, le=720)
    """The desk audits in rounds this many minutes apart (on the clock from midnight): a round
    takes only orders paid before the previous round's boundary, so a buyer's second order can
    still be merged with the first."""

    @field_validator("cutoff_paid", "cutoff_handover")
    @classmethod
    def _clock(cls, value: str) -> str:
        if not _CLOCK.fullmatch(value):
            raise ValueError(_("{value!r} is not a time of day HH:MM (00:00 to 23:59)").format(
                value=value))
        return value

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            raise ValueError(_("unknown time zone {value!r} (e.g. Asia/Shanghai)").format(
                value=value)) from None
        return value


class AftersalesConfig(_Strict):
    """After-sales (pickpack/core/aftersales): returns, the register, follow-up."""

    return_wait_days: int = Field(default=2, ge=0)
    """A return registered but not received within this many days is listed."""
    stale_tracking_days: int = Field(default=7, ge=1)
    """A shipped parcel with no tracking update for this many days is listed."""
    no_reason_days: int = Field(default=7, ge=0)
    """The no-reason return window (七天无理由), counted from delivery."""
    small_value: float = Field(default=20.0, ge=0)
    """A confirmed short item worth less than this is refunded rather than reshipped."""


class BoardConfig(_Strict):
    """The floor board in a browser (``pickpack board``, pickpack/board)."""

    host: str = "127.0.0.1"
    """Where it listens: this machine only unless set (e.g. ``0.0.0.0`` for a wall screen's PC)."""
    port: int = Field(default=8765, ge=1, le=65535)
    token_env: str = Field(default="PICKPACK_BOARD_TOKEN", pattern=r"^[A-Z_][A-Z0-9_]*$")
    """The environment variable holding the board's token (made and printed once when unset)."""


class KeysConfig(_Strict):
    """``[keys]``: a station's keys moved, by the key's id (pickpack/keymap.py lists them):
    ``logout = "f11"`` at every station, ``[keys.verify] undo = "ctrl+r"`` at one (it wins).
    Function keys, Esc, Insert, PageUp/PageDown (with shift+ or ctrl+) or ctrl+ a letter; a
    chord a terminal takes for itself (ctrl+s, ctrl+q, ctrl+z, ctrl+c…) and two ids on one key
    are refused."""

    every: dict[str, str] = Field(default_factory=dict)
    """``[keys]`` itself: keys moved at every station that has the id."""
    each: dict[StationMode, dict[str, str]] = Field(default_factory=dict)
    """``[keys.MODE]`` tables: keys moved at that station only."""

    @model_validator(mode="before")
    @classmethod
    def _tables(cls, data: Any) -> Any:
        if not isinstance(data, dict) or {"every", "each"} & set(data):
            return data  # not a [keys] table: the fields themselves (already checked)
        from pickpack import keymap

        every: dict[str, str] = {}
        each: dict[str, dict[str, str]] = {}
        for name, value in data.items():
            if isinstance(value, dict):
                if name not in keymap.OWN:
                    raise ValueError(_("[keys.{name}]: no such station (one of {names})").format(
                        name=_key(name), names=", ".join(keymap.OWN)))
                each[name] = {k: _key_for(keymap.defaults(name), k, v, f"keys.{name}")
                              for k, v in value.items()}
            else:
                known = {k for mode in (None, *keymap.OWN) for k in keymap.defaults(mode)}
                every[name] = _key_for(dict.fromkeys(known, ""), name, value, "keys")
        for mode in (None, *keymap.OWN):
            ids = keymap.defaults(mode)
            moved = {k: v for k, v in every.items() if k in ids}
            moved.update(each.get(mode or "", {}))
            clash = keymap.clash(mode, moved)
            if clash:
                raise ValueError(_("[keys] {clash}: one key does one thing").format(clash=clash))
        return {"every": every, "each": each}

    def keymap(self, mode: str | None) -> dict[str, str]:
        """The keys moved at ``mode`` (None: the chooser), id → key, for Textual's keymap."""
        from pickpack import keymap

        ids = keymap.defaults(mode)
        return {**{k: v for k, v in self.every.items() if k in ids},
                **(self.each.get(mode, {}) if mode else {})}  # type: ignore[call-overload]


def _key_for(ids: dict[str, str], key_id: str, value: object, table: str) -> str:
    """One ``id = "key"`` line checked: a known id, a key a station may be given."""
    from pickpack import keymap

    if key_id not in ids:
        raise ValueError(_("[{table}] {key}: no such key here (one of {keys})").format(
            table=table, key=_key(key_id), keys=", ".join(sorted(ids))))
    if not isinstance(value, str):
        raise ValueError(_('[{table}] {key}: a key name in quotes, e.g. "f11"').format(
            table=table, key=_key(key_id)))
    try:
        return keymap.key_name(value)
    except ValueError as exc:
        raise ValueError(f"[{table}] {_key(key_id)} = {json.dumps(value, ensure_ascii=False)}: "
                         f"{exc}") from None


class Config(_Strict):
    store: StoreConfig = StoreConfig()
    station: StationConfig = Field(default_factory=StationConfig)
    workflow: WorkflowConfig = WorkflowConfig()
    scanner: ScannerConfig = ScannerConfig()
    scale: ScaleConfig = ScaleConfig()
    printers: PrintersConfig = PrintersConfig()
    weighing: WeighingConfig = WeighingConfig()
    couriers: CouriersConfig = CouriersConfig()
    barcodes: BarcodesConfig = BarcodesConfig()
    desk: DeskConfig = DeskConfig()
    floor: FloorConfig = FloorConfig()
    aftersales: AftersalesConfig = AftersalesConfig()
    board: BoardConfig = BoardConfig()
    keys: KeysConfig = KeysConfig()
    source: str = ""
    """Path of the file this config came from ('' for defaults)."""

    @model_validator(mode="before")
    @classmethod
    def _deprecated_print_on_verify(cls, data: Any) -> Any:
        """``[station] print_on_verify`` is read as ``[workflow] print_at``: true is "verify"
        (unless print_at is set), false leaves print_at as it is; a one-line notice says so."""
        if not isinstance(data, dict):
            return data
        station = data.get("station")
        if not isinstance(station, dict) or "print_on_verify" not in station:
            return data
        old = station["print_on_verify"]
        if not isinstance(old, bool):
            return data  # the field's own validation names the key
        workflow = data.get("workflow", {})
        if not isinstance(workflow, dict):
            return data
        print(f"pickpack: {data.get('source') or 'config'}: [station] print_on_verify is "
              'deprecated: use [workflow] print_at = "verify" | "desk"', file=sys.stderr)
        station = {k: v for k, v in station.items() if k != "print_on_verify"}
        if old and "print_at" not in workflow:
            workflow = {**workflow, "print_at": "verify"}
        return {**data, "station": station, "workflow": workflow}

    @model_validator(mode="after")
    def _print_at_on_route(self) -> Config:
        """A print_at step that is set but not on the route is refused."""
        flow = self.workflow
        if ("print_at" in flow.model_fields_set and flow.print_at != "desk"
                and flow.print_at not in flow.route):
            raise ValueError(_("[workflow] print_at = {step} but {step} is not in [workflow] "
                               "route").format(step=flow.print_at))
        return self


def config_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--config FILE, else $PICKPACK_CONFIG, else ./config.toml."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("PICKPACK_CONFIG")
    return Path(env) if env else Path("config.toml")


def load_config(explicit: str | os.PathLike[str] | None = None) -> Config:
    """Read and validate the config; a missing default ./config.toml gives the defaults."""
    path = config_path(explicit)
    if not path.exists():
        if explicit or os.environ.get("PICKPACK_CONFIG"):
            raise ConfigError(_("config file not found: {path}").format(path=path))
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(_("{path}: {why}").format(path=path, why=toml_words(exc))) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    except RecursionError:
        raise ConfigError(_("{path}: nested too deeply to read").format(path=path)) from None
    return parse_config(data, str(path))


TOML_WORDS = {
    "Invalid value": N_("no valid value"), "Invalid statement": N_("not a key = value line"),
    "Unterminated string": N_("a text without its closing quote"),
    "Unclosed array": N_("a list without its closing ]"),
    "Unclosed inline table": N_("a table without its closing }"),
    "Cannot overwrite a value": N_("a key given twice"),
    "Expected ']' at the end of a table declaration": N_("a [table] without its closing ]"),
    "Expected ']]' at the end of an array declaration": N_("a [[table]] without its closing ]]"),
    "Expected '=' after a key in a key/value pair": N_("a key without = and its value"),
    "Invalid initial character for a key part": N_("a key that cannot start so"),
    "Invalid date or datetime": N_("not a valid date or time"),
}
"""TOML's syntax errors in words (tomllib's text is English only)."""
_TOML_AT = re.compile(r"(?P<why>.*) \(at line (?P<line>\d+), column (?P<column>\d+)\)")


def toml_words(exc: tomllib.TOMLDecodeError) -> str:
    """Where and why a config is not valid TOML, in the station's language."""
    text = str(exc)
    at = _TOML_AT.fullmatch(text)
    why = at["why"] if at else text.removesuffix(" (at end of document)")
    words = _(TOML_WORDS[why]) if why in TOML_WORDS else _("not valid TOML ({why})").format(why=why)
    if at is None:
        return _("at the end: {why}").format(why=words)
    return _("line {line}, column {column}: {why}").format(line=at["line"], column=at["column"],
                                                            why=words)


def _key(part: object) -> str:
    """A key of an error's location as the message shows it: quoted when it is empty or holds
    spaces or control characters (TOML allows ``"\n" = 1``), so the error stays one line."""
    text = str(part)
    return text if text and text.isprintable() and " " not in text else repr(text)


PYDANTIC_WORDS = {
    "extra_forbidden": N_("unknown key"), "missing": N_("is required"),
    "int_type": N_("must be a whole number"), "int_parsing": N_("must be a whole number"),
    "int_from_float": N_("must be a whole number"),
    "float_type": N_("must be a number"), "float_parsing": N_("must be a number"),
    "bool_type": N_("must be true or false"), "bool_parsing": N_("must be true or false"),
    "string_type": N_("must be text in quotes"), "list_type": N_("must be a list [ … ]"),
    "dict_type": N_("must be a table of keys"), "model_type": N_("must be a table of keys"),
    "model_attributes_type": N_("must be a table of keys"),
    "literal_error": N_("must be one of {expected}"),
    "greater_than": N_("must be more than {gt}"),
    "greater_than_equal": N_("must be at least {ge}"),
    "less_than": N_("must be less than {lt}"), "less_than_equal": N_("must be at most {le}"),
    "too_short": N_("must have at least {min_length}"),
    "too_long": N_("must have at most {max_length}"),
    "string_too_short": N_("must be at least {min_length} characters"),
    "string_too_long": N_("must be at most {max_length} characters"),
}
"""Pydantic's complaints about a config value, in words (its own text is English only)."""


def pydantic_words(error: Any) -> str:
    """One validation error's reason in the station's language: our validators' own
    (already translated) text, else the words for pydantic's error type and the value given."""
    kind = error["type"]
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    if kind not in PYDANTIC_WORDS:
        return str(error["msg"])
    ctx = {k: v for k, v in (error.get("ctx") or {}).items()}
    if "expected" in ctx:  # "'pick', 'verify' or 'pack'"
        ctx["expected"] = str(ctx["expected"]).replace(" or ", ", ")
    words = _(PYDANTIC_WORDS[kind]).format(**ctx)
    if kind in ("extra_forbidden", "missing"):
        return words
    try:
        given = json.dumps(error.get("input"), ensure_ascii=False, default=str)
    except (RecursionError, ValueError):
        given = "…"
    if len(given) > 40:
        given = given[:39] + "…"
    return _("{words}, not {given}").format(words=words, given=given)


def parse_config(data: dict[str, object], source: str = "") -> Config:
    """Validate a config mapping; errors name the key and the file."""
    try:
        return Config.model_validate({**data, "source": source})
    except RecursionError:
        raise ConfigError(_("{path}: nested too deeply to read").format(
            path=source or "config")) from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(_key(p) for p in first["loc"])
        msg = " ".join(pydantic_words(first).split())  # one line, whatever it quotes
        if not where or msg.startswith(f"[{where}"):  # the message names the keys itself
            raise ConfigError(f"{source or 'config'}: {msg}") from exc
        raise ConfigError(f"{source or 'config'}: [{where}] {msg}") from exc
