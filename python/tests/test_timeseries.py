"""Rockpool's time series (snn.timed.TSContinuous, TSEvent) against numpy references written from the definitions
(docs/timeseries.md, semantics section 5): sample-and-hold sampling is samples[searchsorted(times, t, 'right') - 1],
linear sampling is numpy.interp, rasters count events in [t0 + i dt, t0 + (i + 1) dt) bins (numpy.histogram),
from_raster puts events at bin middles; clip, merge and append follow Rockpool's rules. Plots are decoded by a
minimal PNG reader written here (zlib + CRC) and by PIL, and known points are looked for at their pixels."""

import struct
import zlib

import numpy as np
import pytest

import snn
from snn.timed import TSContinuous, TSEvent

from PIL import Image  # Debian's python3-pil


def previous_reference(times, samples, query):
    return samples[np.searchsorted(times, query, side="right") - 1]


def random_series(rng, n=200, channels=3, duplicates=True):
    times = np.sort(rng.uniform(0.0, 5.0, n))
    if duplicates:
        times[10] = times[11]
        times[50:53] = times[50]
    samples = rng.normal(size=(n, channels))
    return times, samples


# --- TSContinuous -------------------------------------------------------------------------------------------------


def test_previous_sampling_matches_searchsorted():
    rng = np.random.default_rng(1)
    times, samples = random_series(rng)
    ts = TSContinuous(times, samples, t_stop=6.0)
    query = np.concatenate([rng.uniform(times[0], 6.0, 500), times, [times[0], 6.0]])
    got = ts.sample(query)
    assert got.shape == (query.size, 3)
    np.testing.assert_array_equal(got, previous_reference(times, samples, query))
    # sorted requests take the linear walk; they must agree with the binary searches
    order = np.sort(query)
    np.testing.assert_array_equal(ts.sample(order), previous_reference(times, samples, order))
    # one scalar time gives one row
    np.testing.assert_array_equal(ts.sample(float(times[20])), samples[20])


def test_linear_sampling_matches_numpy_interp():
    rng = np.random.default_rng(2)
    times, samples = random_series(rng, duplicates=False)
    ts = TSContinuous(times, samples, interp_kind="linear")
    query = rng.uniform(times[0], times[-1], 400)
    expected = np.stack([np.interp(query, times, samples[:, c]) for c in range(3)], axis=1)
    np.testing.assert_allclose(ts.sample(query), expected, rtol=0, atol=1e-12)
    assert ts.interp_kind == "linear"


def test_sampling_outside_the_range_raises_unless_periodic():
    times = np.array([1.0, 2.0, 3.0])
    samples = np.array([[1.0], [2.0], [3.0]])
    ts = TSContinuous(times, samples, t_stop=4.0)
    with pytest.raises(ValueError, match="periodic"):
        ts.sample(np.array([0.5]))
    with pytest.raises(snn.SnnArgumentException):
        ts.sample(np.array([4.5]))
    # linear is defined only up to the last sample
    with pytest.raises(ValueError):
        TSContinuous(times, samples, t_stop=4.0, interp_kind="linear").sample(np.array([3.5]))
    periodic = TSContinuous(times, samples, periodic=True, t_start=1.0, t_stop=4.0)
    query = np.array([4.5, 7.2, -0.3, 10.0])
    wrapped = (query - 1.0) % 3.0 + 1.0
    np.testing.assert_array_equal(periodic.sample(query), previous_reference(times, samples, wrapped))


def test_from_clocked_to_clocked_round_trip():
    rng = np.random.default_rng(3)
    clocked = rng.normal(size=(37, 4))
    dt, t0 = 1e-3, 0.25
    ts = TSContinuous.from_clocked(clocked, dt, t_start=t0, name="clk")
    np.testing.assert_array_equal(ts.times, np.arange(37) * dt + t0)
    assert ts.t_start == t0 and ts.t_stop == pytest.approx(t0 + 37 * dt, abs=1e-15)
    assert ts.duration == pytest.approx(37 * dt) and ts.name == "clk" and ts.num_channels == 4
    np.testing.assert_array_equal(ts.to_clocked(dt), clocked)
    # float32 rasters are accepted too
    ts32 = TSContinuous.from_clocked(clocked.astype(np.float32), dt)
    np.testing.assert_array_equal(ts32.samples, clocked.astype(np.float32).astype(np.float64))


def test_resample_and_channels():
    rng = np.random.default_rng(4)
    times, samples = random_series(rng, duplicates=False)
    ts = TSContinuous(times, samples, t_stop=5.5)
    new_times = np.linspace(times[0], 5.5, 50)
    rs = ts.resample(new_times, channels=[2, 0])
    np.testing.assert_array_equal(rs.samples, previous_reference(times, samples, new_times)[:, [2, 0]])
    assert rs.t_start == new_times[0] and rs.t_stop == new_times[-1]
    with pytest.raises(ValueError, match="channel 3 does not exist"):
        ts.resample(new_times, channels=[3])


def test_clip_adds_limit_samples_and_keeps_values():
    times = np.array([0.0, 1.0, 2.0, 3.0])
    samples = np.array([[10.0], [11.0], [12.0], [13.0]])
    ts = TSContinuous(times, samples, t_stop=4.0)
    c = ts.clip(0.5, 2.5)
    np.testing.assert_array_equal(c.times, [0.5, 1.0, 2.0, 2.5])
    np.testing.assert_array_equal(c.samples[:, 0], [10.0, 11.0, 12.0, 12.0])
    assert (c.t_start, c.t_stop) == (0.5, 2.5)
    exact = ts.clip(1.0, 3.0, include_stop=False, sample_limits=False)
    np.testing.assert_array_equal(exact.times, [1.0, 2.0])
    # a clipped series reads like the original inside its limits
    q = np.linspace(0.5, 2.5, 41)
    np.testing.assert_array_equal(c.sample(q), ts.sample(q))


def test_merge_interleaves_stably_and_drops_duplicates():
    a = TSContinuous(np.array([0.0, 1.0, 2.0]), np.array([[1.0], [2.0], [3.0]]), t_stop=3.0)
    b = TSContinuous(np.array([0.5, 1.0, 2.5]), np.array([[5.0], [6.0], [7.0]]), t_stop=3.5)
    m = a.merge(b)
    np.testing.assert_array_equal(m.times, [0.0, 0.5, 1.0, 2.0, 2.5])
    np.testing.assert_array_equal(m.samples[:, 0], [1.0, 5.0, 2.0, 3.0, 7.0])
    assert (m.t_start, m.t_stop) == (0.0, 3.5)
    keep = a.merge(b, remove_duplicates=False)
    t = np.concatenate([a.times, b.times])
    s = np.concatenate([a.samples, b.samples])
    order = np.argsort(t, kind="stable")
    np.testing.assert_array_equal(keep.times, t[order])
    np.testing.assert_array_equal(keep.samples, s[order])
    with pytest.raises(ValueError, match="same number of channels"):
        a.merge(TSContinuous(np.array([0.0]), np.array([[1.0, 2.0]])))


def test_append_c_and_append_t():
    a = TSContinuous(np.array([0.0, 1.0, 2.0]), np.array([[1.0], [2.0], [3.0]]), t_stop=3.0)
    b = TSContinuous(np.array([0.0, 0.5, 2.0]), np.array([[5.0, 0.0], [6.0, 1.0], [7.0, 2.0]]), t_stop=3.0)
    c = a.append_c(b)
    np.testing.assert_array_equal(c.samples, np.concatenate([a.samples, previous_reference(b.times, b.samples, a.times)], 1))
    # append_t: b's t_start moves to a.t_stop + offset; default offset is the median step of a (1.0)
    b1 = TSContinuous(np.array([0.0, 0.5]), np.array([[8.0], [9.0]]), t_stop=1.0)
    t = a.append_t(b1)
    np.testing.assert_array_equal(t.times, [0.0, 1.0, 2.0, 4.0, 4.5])
    assert t.t_stop == 5.0
    t2 = a.append_t(b1, offset=0.25)
    np.testing.assert_array_equal(t2.times, [0.0, 1.0, 2.0, 3.25, 3.75])
    np.testing.assert_array_equal(t2.samples[:, 0], [1.0, 2.0, 3.0, 8.0, 9.0])


def test_tscontinuous_rejects_bad_input_with_advice():
    with pytest.raises(snn.SnnArgumentException, match="must not decrease"):
        TSContinuous(np.array([0.0, 2.0, 1.0]), np.zeros((3, 1)))
    with pytest.raises(ValueError, match="one row per time"):
        TSContinuous(np.array([0.0, 1.0]), np.zeros((3, 2)))
    with pytest.raises(ValueError, match="finite"):
        TSContinuous(np.array([0.0, np.nan]), np.zeros((2, 1)))
    with pytest.raises(ValueError, match="NaN"):
        TSContinuous(np.array([0.0, 1.0]), np.array([[0.0], [np.nan]]))
    with pytest.raises(ValueError, match="t_stop"):
        TSContinuous(np.array([0.0, 1.0]), np.zeros((2, 1)), t_stop=0.5)
    with pytest.raises(ValueError, match="interp_kind"):
        TSContinuous(np.array([0.0]), np.zeros((1, 1)), interp_kind="cubic")
    with pytest.raises(ValueError, match="dt"):
        TSContinuous.from_clocked(np.zeros((3, 1)), 0.0)


# --- TSEvent --------------------------------------------------------------------------------------------------------


def random_events(rng, n=5000, channels=7, t_stop=2.0):
    times = np.sort(rng.uniform(0.0, t_stop * 0.999, n))
    chans = rng.integers(0, channels, n)
    return times, chans


def histogram_raster(times, chans, channels, t0, dt, steps):
    edges = t0 + dt * np.arange(steps + 1)
    inside = (times >= t0) & (times < edges[-1])
    return np.stack([np.histogram(times[inside & (chans == c)], bins=edges)[0] for c in channels], axis=1)


def test_raster_counts_match_numpy_histogram():
    rng = np.random.default_rng(5)
    times, chans = random_events(rng)
    ev = TSEvent(times, chans, t_start=0.0, t_stop=2.0, num_channels=9)
    assert ev.num_channels == 9 and len(ev) == times.size
    dt = 1e-3 * 7
    counts = ev.raster(dt, add_events=True)
    steps = int(np.ceil(2.0 / dt))
    assert counts.shape == (steps, 9) and counts.dtype.kind == "i"
    np.testing.assert_array_equal(counts, histogram_raster(times, chans, range(9), 0.0, dt, steps))
    hits = ev.raster(dt)
    assert hits.dtype == np.bool_
    np.testing.assert_array_equal(hits, counts > 0)
    # a window, a step count and a channel selection in any order (column j is channel channels[j])
    sub = ev.raster(0.01, t_start=0.5, num_timesteps=40, channels=[3, 1, 8], add_events=True)
    np.testing.assert_array_equal(sub, histogram_raster(times, chans, [3, 1, 8], 0.5, 0.01, 40))
    with pytest.raises(ValueError, match="not both"):
        ev.raster(0.01, t_stop=1.0, num_timesteps=3)


def test_raster_bins_are_closed_on_the_left():
    # 0.3 / 0.1 is 2.9999999999999996 in floating point; the event at 0.3 still belongs to [0.3, 0.4)
    ev = TSEvent([0.0, 0.1, 0.3, 0.7], [0, 0, 0, 1], t_start=0.0, t_stop=1.0)
    counts = ev.raster(0.1, add_events=True)
    assert counts.shape == (10, 2)
    expected = np.zeros((10, 2), int)
    expected[[0, 1, 3], 0] = 1
    expected[7, 1] = 1
    np.testing.assert_array_equal(counts, expected)
    # 1.1 / 0.1 is 11.000000000000002: still 11 bins
    assert TSEvent([0.5], t_start=0.0, t_stop=1.1).raster(0.1).shape == (11, 1)


def test_periodic_raster_repeats():
    ev = TSEvent([0.1, 0.35], [0, 1], periodic=True, t_start=0.0, t_stop=0.5)
    r = ev.raster(0.1, t_start=0.0, num_timesteps=20, add_events=True)
    one = ev.raster(0.1, add_events=True)
    np.testing.assert_array_equal(r, np.tile(one, (4, 1)))


def test_from_raster_puts_events_at_bin_middles_and_round_trips():
    rng = np.random.default_rng(6)
    raster = rng.integers(0, 3, size=(60, 5)) * (rng.random((60, 5)) < 0.4)
    dt, t0 = 2e-3, 0.1
    ev = TSEvent.from_raster(raster, dt=dt, t_start=t0, name="r")
    rows, cols = np.nonzero(raster)
    reps = raster[rows, cols]
    np.testing.assert_allclose(ev.times, np.repeat(rows * dt + t0 + dt / 2, reps), rtol=0, atol=1e-15)
    np.testing.assert_array_equal(ev.channels, np.repeat(cols, reps))
    assert ev.t_start == t0 and ev.t_stop == pytest.approx(t0 + 60 * dt) and ev.num_channels == 5
    np.testing.assert_array_equal(ev.raster(dt, add_events=True), raster)
    start = TSEvent.from_raster(raster.astype(bool), dt=dt, t_start=t0, spikes_at_bin_start=True)
    np.testing.assert_allclose(start.times, rows * dt + t0, rtol=0, atol=1e-15)
    np.testing.assert_array_equal(start.raster(dt), raster > 0)
    # float32 whole counts work (neuron outputs are float32); fractions do not
    np.testing.assert_array_equal(TSEvent.from_raster(raster.astype(np.float32), dt=dt).channels, np.repeat(cols, reps))
    with pytest.raises(ValueError, match="whole event counts"):
        TSEvent.from_raster(np.array([[0.5]]))
    with pytest.raises(ValueError, match="whole event counts"):
        TSEvent.from_raster(np.array([[-1]]))


def test_event_clip_remap_and_selection():
    times = np.array([0.1, 0.2, 0.3, 0.4, 0.5])
    chans = np.array([0, 3, 1, 3, 2])
    ev = TSEvent(times, chans, t_start=0.0, t_stop=1.0)
    c = ev.clip(0.2, 0.5)
    np.testing.assert_array_equal(c.times, [0.2, 0.3, 0.4])
    np.testing.assert_array_equal(c.channels, [3, 1, 3])
    assert (c.t_start, c.t_stop, c.num_channels) == (0.2, 0.5, 4)
    r = ev.clip(channels=[3, 2], remap_channels=True)
    np.testing.assert_array_equal(r.times, [0.2, 0.4, 0.5])
    np.testing.assert_array_equal(r.channels, [1, 1, 0])
    assert r.num_channels == 2
    m = ev.remap_channels([3, 2, 1, 0])
    np.testing.assert_array_equal(m.channels, 3 - chans)
    with pytest.raises(ValueError, match="one entry per channel"):
        ev.remap_channels([0, 1])
    t, ch = ev.events_between(0.15, 0.45, [3])
    np.testing.assert_array_equal(t, [0.2, 0.4])
    np.testing.assert_array_equal(ch, [3, 3])


def test_event_merge_append_c_append_t():
    a = TSEvent([0.1, 0.5], [0, 1], t_start=0.0, t_stop=1.0)
    b = TSEvent([0.2, 0.5, 0.9], [2, 0, 0], t_start=0.0, t_stop=1.2)
    m = a.merge(b)
    t = np.concatenate([a.times, b.times])
    ch = np.concatenate([a.channels, b.channels])
    order = np.argsort(t, kind="stable")
    np.testing.assert_array_equal(m.times, t[order])
    np.testing.assert_array_equal(m.channels, ch[order])
    assert (m.t_start, m.t_stop, m.num_channels) == (0.0, 1.2, 3)
    d = a.merge(b, delay=0.05)
    np.testing.assert_allclose(d.times, np.sort(np.concatenate([a.times, b.times + 0.05])))
    dup = a.merge(TSEvent([0.5], [1], t_start=0.0, t_stop=1.0), remove_duplicates=True)
    np.testing.assert_array_equal(dup.times, [0.1, 0.5])
    c = a.append_c(b)
    np.testing.assert_array_equal(c.channels, ch[order] + np.where(order >= 2, 2, 0))
    assert c.num_channels == 5
    at = a.append_t(b, offset=0.5)   # b starts at a.t_stop + 0.5 = 1.5
    np.testing.assert_allclose(at.times, [0.1, 0.5, 1.7, 2.0, 2.4])
    np.testing.assert_array_equal(at.channels, [0, 1, 2, 0, 0])
    assert at.t_stop == pytest.approx(2.7)


def test_tsevent_rejects_bad_input_with_advice():
    with pytest.raises(snn.SnnArgumentException, match="must not decrease"):
        TSEvent([0.5, 0.2], t_stop=1.0)
    with pytest.raises(ValueError, match="strictly greater than the last event"):
        TSEvent([0.5, 1.0], t_stop=1.0)
    with pytest.raises(ValueError, match="t_stop is required"):
        TSEvent([0.5])
    with pytest.raises(ValueError, match="finite"):
        TSEvent([0.5, np.nan], t_stop=2.0)
    with pytest.raises(ValueError, match="one channel per event"):
        TSEvent([0.1, 0.2], [0, 1, 2], t_stop=1.0)
    with pytest.raises(ValueError, match="num_channels"):
        TSEvent([0.1], [4], t_stop=1.0, num_channels=2)
    with pytest.raises(ValueError, match=">= 0"):
        TSEvent([0.1], [-1], t_stop=1.0)
    with pytest.raises(ValueError, match="listed twice"):
        TSEvent([0.1], [0], t_stop=1.0).raster(0.1, channels=[0, 0])


# --- plots ----------------------------------------------------------------------------------------------------------


def decode_png(data):
    """A minimal PNG reader (8-bit RGBA, non-interlaced, any filter) that checks every chunk's CRC."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        assert crc == zlib.crc32(kind + body) & 0xFFFFFFFF, kind
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
        pos += 12 + length
    width, height, depth, color, _, _, interlace = header
    assert (depth, color, interlace) == (8, 6, 0)
    raw = zlib.decompress(idat)
    stride = width * 4
    out = np.zeros((height, stride), np.uint8)
    prev = np.zeros(stride, np.int32)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = np.frombuffer(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)], np.uint8).astype(np.int32)
        assert f == 0, "snn writes filter 0 only"
        out[y] = line
        prev = line
    return out.reshape(height, width, 4)


def test_event_plot_puts_markers_where_the_axes_say(tmp_path):
    path = tmp_path / "events.png"
    ev = TSEvent([0.25, 0.5, 0.75], [0, 2, 1], t_start=0.0, t_stop=1.0, name="spikes")
    chart = ev.plot(str(path), 320, 200)
    data = path.read_bytes()
    pixels = decode_png(data)
    assert pixels.shape == (200, 320, 4)
    np.testing.assert_array_equal(np.asarray(Image.open(path).convert("RGBA")), pixels)
    left, right, top, bottom = chart.plot_left, chart.plot_right, chart.plot_top, chart.plot_bottom
    assert 0 < left < right < 320 and 0 < top < bottom < 200
    # x spans [t_start, t_stop], y spans [-1, num_channels] (Rockpool's limits)
    palette = [(31, 119, 180), (255, 127, 14), (44, 160, 44)]
    for t, c in [(0.25, 0), (0.5, 2), (0.75, 1)]:
        x = round(left + t * (right - left))
        y = round(bottom - (c + 1) / 4 * (bottom - top))
        assert (chart.pixel_x(t), chart.pixel_y(c)) == (x, y)
        assert tuple(pixels[y, x, :3]) == palette[c]
        assert pixels[y, x, 3] == 255
    # the frame is black, and a point away from events and grid is white
    assert tuple(pixels[top, (left + right) // 2, :3]) == (0, 0, 0)
    assert tuple(pixels[bottom, left + 3, :3]) == (0, 0, 0)
    assert tuple(pixels[(top + bottom) // 2 + 3, left + 7, :3]) in {(255, 255, 255), (225, 225, 225)}
    # tick labels: some black text below the frame and left of it
    assert (pixels[bottom + 6:, left:right, :3] == 0).all(axis=2).any()
    assert (pixels[top:bottom, :left - 5, :3] == 0).all(axis=2).any()


def test_continuous_plot_draws_sample_and_hold_steps(tmp_path):
    path = tmp_path / "steps.png"
    ts = TSContinuous(np.array([0.0, 1.0]), np.array([[0.0], [1.0]]), t_stop=2.0, units="V")
    chart = ts.plot(str(path), 400, 300)
    pixels = np.asarray(Image.open(path).convert("RGBA"))
    blue = (31, 119, 180)
    y0, y1 = chart.pixel_y(0.0), chart.pixel_y(1.0)
    assert y1 < y0
    for t in (0.2, 0.5, 0.9):        # held at 0 until t = 1
        assert tuple(pixels[y0, chart.pixel_x(t), :3]) == blue
    for t in (1.2, 1.5, 1.9):        # then at 1 until t_stop
        assert tuple(pixels[y1, chart.pixel_x(t), :3]) == blue
    x1 = chart.pixel_x(1.0)          # the vertical jump at t = 1
    assert all(tuple(pixels[y, x1, :3]) == blue for y in range(y1, y0 + 1))
    assert tuple(pixels[y1, chart.pixel_x(0.5), :3]) != blue   # no value 1 before t = 1
