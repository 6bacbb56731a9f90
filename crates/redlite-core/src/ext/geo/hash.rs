//! The geohash arithmetic of Redis 7.0 (geohash.c and geohash_helper.c), ported
//! operation for operation.
//!
//! A position is stored as the score of a sorted set member: a 52-bit integer whose
//! bits interleave 26 bits of latitude (even bits) and 26 of longitude (odd bits),
//! each the position's offset in its range (latitude -85.05112878..85.05112878, the
//! limits of Web Mercator; longitude -180..180) in units of 1/2^26 of the range. A
//! score decodes to the centre of its cell. The searches cover the area with the
//! cell of the centre and its eight neighbours at a step (bits per coordinate) fit
//! for the radius, and filter the members of those cells by distance.
//!
//! Redis's replies depend on every rounding of this arithmetic (GEOPOS prints 17
//! decimals, a member on a search's edge is in or out by one ulp), so each expression
//! here is evaluated in the order, and with the types, Redis evaluates it: doubles
//! throughout, no fused multiply-add, the trigonometry from the same C library
//! (Rust's `sin`, `cos` and `asin` call the platform's libm, as Redis does). Where
//! Redis converts a double to an integer (a score to its bits, llrint), the x86-64
//! conversions are spelled out, so that scores no GEOADD made (ZADD k -1 m) decode
//! as Redis decodes them.

/// Bits per coordinate of a stored score: 26 * 2 = 52 bits.
pub const STEP_MAX: u8 = 26;

/// Limits from EPSG:900913 / EPSG:3785 / OSGEO:41001: there is no geocoding at the
/// poles.
pub const LAT_MIN: f64 = -85.05112878;
pub const LAT_MAX: f64 = 85.05112878;
pub const LONG_MIN: f64 = -180.0;
pub const LONG_MAX: f64 = 180.0;

/// geohash_helper.c's `D_R`: degrees to radians.
const D_R: f64 = std::f64::consts::PI / 180.0;
/// Earth's quadratic mean radius for WGS-84.
const EARTH_RADIUS_IN_METERS: f64 = 6372797.560856;
const MERCATOR_MAX: f64 = 20037726.37;

/// A hash of `step` bits per coordinate (2 * step bits in all).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HashBits {
    pub bits: u64,
    pub step: u8,
}

impl HashBits {
    /// Redis's "zero" hash (`HASHISZERO`): a neighbour left out of a search.
    pub const ZERO: HashBits = HashBits { bits: 0, step: 0 };

    pub fn is_zero(self) -> bool {
        self.bits == 0 && self.step == 0
    }
}

/// A coordinate interval.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Range {
    pub min: f64,
    pub max: f64,
}

impl Range {
    fn is_zero(self) -> bool {
        self.max == 0.0 && self.min == 0.0
    }
}

/// The ranges of the stored scores (`geohashGetCoordRange`).
pub const WGS84_LONG: Range = Range {
    min: LONG_MIN,
    max: LONG_MAX,
};
pub const WGS84_LAT: Range = Range {
    min: LAT_MIN,
    max: LAT_MAX,
};

/// The ranges of a standard geohash (GEOHASH's strings): latitude -90..90.
pub const STANDARD_LONG: Range = Range {
    min: -180.0,
    max: 180.0,
};
pub const STANDARD_LAT: Range = Range {
    min: -90.0,
    max: 90.0,
};

/// The cell a hash names.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Area {
    pub hash: HashBits,
    pub longitude: Range,
    pub latitude: Range,
}

/// The eight cells around one.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Neighbors {
    pub north: HashBits,
    pub east: HashBits,
    pub west: HashBits,
    pub south: HashBits,
    pub north_east: HashBits,
    pub south_east: HashBits,
    pub north_west: HashBits,
    pub south_west: HashBits,
}

/// Interleave the lower 32 bits of x (even bits) and y (odd bits).
fn interleave64(xlo: u32, ylo: u32) -> u64 {
    const B: [u64; 5] = [
        0x5555555555555555,
        0x3333333333333333,
        0x0F0F0F0F0F0F0F0F,
        0x00FF00FF00FF00FF,
        0x0000FFFF0000FFFF,
    ];
    const S: [u32; 5] = [1, 2, 4, 8, 16];
    let mut x = xlo as u64;
    let mut y = ylo as u64;
    for i in (0..5).rev() {
        x = (x | (x << S[i])) & B[i];
        y = (y | (y << S[i])) & B[i];
    }
    x | (y << 1)
}

/// The reverse of `interleave64`: x in the low 32 bits, y in the high 32.
fn deinterleave64(interleaved: u64) -> u64 {
    const B: [u64; 6] = [
        0x5555555555555555,
        0x3333333333333333,
        0x0F0F0F0F0F0F0F0F,
        0x00FF00FF00FF00FF,
        0x0000FFFF0000FFFF,
        0x00000000FFFFFFFF,
    ];
    const S: [u32; 6] = [0, 1, 2, 4, 8, 16];
    let mut x = interleaved;
    let mut y = interleaved >> 1;
    for i in 0..6 {
        x = (x | (x >> S[i])) & B[i];
        y = (y | (y >> S[i])) & B[i];
    }
    x | (y << 32)
}

/// `geohashEncode`: the cell of `step` bits per coordinate holding the position, or
/// `None` where Redis returns 0 (a position outside the ranges; step 0 or over 32).
pub fn encode(
    long_range: Range,
    lat_range: Range,
    longitude: f64,
    latitude: f64,
    step: u8,
) -> Option<HashBits> {
    if step > 32 || step == 0 || lat_range.is_zero() || long_range.is_zero() {
        return None;
    }
    if !(LONG_MIN..=LONG_MAX).contains(&longitude) || !(LAT_MIN..=LAT_MAX).contains(&latitude) {
        return None;
    }
    if latitude < lat_range.min
        || latitude > lat_range.max
        || longitude < long_range.min
        || longitude > long_range.max
    {
        return None;
    }
    let mut lat_offset = (latitude - lat_range.min) / (lat_range.max - lat_range.min);
    let mut long_offset = (longitude - long_range.min) / (long_range.max - long_range.min);
    // Fixed point, by the step's number of cells (C converts the doubles to uint32_t
    // by truncation; both are within 0..=2^step here).
    lat_offset *= (1u64 << step) as f64;
    long_offset *= (1u64 << step) as f64;
    Some(HashBits {
        bits: interleave64(lat_offset as u32, long_offset as u32),
        step,
    })
}

/// `geohashEncodeWGS84`: the stored cell of a position.
pub fn encode_wgs84(longitude: f64, latitude: f64, step: u8) -> Option<HashBits> {
    encode(WGS84_LONG, WGS84_LAT, longitude, latitude, step)
}

/// `geohashDecode`: the cell a hash names; `None` for the zero hash.
pub fn decode(long_range: Range, lat_range: Range, hash: HashBits) -> Option<Area> {
    if hash.is_zero() || lat_range.is_zero() || long_range.is_zero() {
        return None;
    }
    let step = hash.step;
    let hash_sep = deinterleave64(hash.bits); // [LAT][LONG]
    let lat_scale = lat_range.max - lat_range.min;
    let long_scale = long_range.max - long_range.min;
    let ilato = hash_sep as u32;
    let ilono = (hash_sep >> 32) as u32;
    let cells = (1u64 << step) as f64;
    // `ilato + 1` is unsigned 32-bit arithmetic in C: it wraps.
    Some(Area {
        hash,
        latitude: Range {
            min: lat_range.min + (ilato as f64 * 1.0 / cells) * lat_scale,
            max: lat_range.min + (ilato.wrapping_add(1) as f64 * 1.0 / cells) * lat_scale,
        },
        longitude: Range {
            min: long_range.min + (ilono as f64 * 1.0 / cells) * long_scale,
            max: long_range.min + (ilono.wrapping_add(1) as f64 * 1.0 / cells) * long_scale,
        },
    })
}

/// `geohashDecodeAreaToLongLat`: the centre of a cell, within the limits.
pub fn area_center(area: &Area) -> [f64; 2] {
    let mut lon = (area.longitude.min + area.longitude.max) / 2.0;
    lon = lon.clamp_c(LONG_MIN, LONG_MAX);
    let mut lat = (area.latitude.min + area.latitude.max) / 2.0;
    lat = lat.clamp_c(LAT_MIN, LAT_MAX);
    [lon, lat]
}

/// Redis's two `if`s that frame a coordinate (unlike `f64::clamp`, NaN passes).
trait ClampC {
    fn clamp_c(self, min: f64, max: f64) -> f64;
}

impl ClampC for f64 {
    fn clamp_c(self, min: f64, max: f64) -> f64 {
        let mut v = self;
        if v > max {
            v = max;
        }
        if v < min {
            v = min;
        }
        v
    }
}

/// `decodeGeohash` (geo.c): the position a sorted set score stands for, as Redis
/// decodes any score: its bits as C's `(uint64_t)` conversion gives them, 26 steps.
pub fn decode_score(score: f64) -> Option<[f64; 2]> {
    let hash = HashBits {
        bits: c_f64_to_u64(score),
        step: STEP_MAX,
    };
    decode(WGS84_LONG, WGS84_LAT, hash).map(|a| area_center(&a))
}

/// The score GEOADD stores for a position within the limits: the 52-bit hash.
pub fn score_of(longitude: f64, latitude: f64) -> u64 {
    let hash = encode_wgs84(longitude, latitude, STEP_MAX).unwrap_or(HashBits {
        bits: 0,
        step: STEP_MAX,
    });
    align52(hash)
}

/// `geohashAlign52Bits`: a hash of any step as the 52-bit score of its first position.
pub fn align52(hash: HashBits) -> u64 {
    hash.bits << (52 - hash.step as u32 * 2)
}

/// The 11-character standard geohash of a stored score (GEOHASH): the position
/// decoded, encoded again with latitude -90..90, base32; the 11th character stands
/// for bits Redis does not have, and is always '0'.
pub fn geohash_string(score: f64) -> Option<[u8; 11]> {
    const ALPHABET: &[u8; 32] = b"0123456789bcdefghjkmnpqrstuvwxyz";
    let [lon, lat] = decode_score(score)?;
    let hash =
        encode(STANDARD_LONG, STANDARD_LAT, lon, lat, 26).unwrap_or(HashBits { bits: 0, step: 26 });
    let mut out = [b'0'; 11];
    for (i, c) in out.iter_mut().enumerate().take(10) {
        let idx = (hash.bits >> (52 - (i + 1) * 5)) & 0x1f;
        *c = ALPHABET[idx as usize];
    }
    Some(out)
}

fn move_x(hash: &mut HashBits, d: i8) {
    if d == 0 {
        return;
    }
    let mut x = hash.bits & 0xaaaaaaaaaaaaaaaa;
    let y = hash.bits & 0x5555555555555555;
    let zz = 0x5555555555555555u64 >> (64 - hash.step as u32 * 2);
    if d > 0 {
        x = x.wrapping_add(zz + 1);
    } else {
        x |= zz;
        x = x.wrapping_sub(zz + 1);
    }
    x &= 0xaaaaaaaaaaaaaaaau64 >> (64 - hash.step as u32 * 2);
    hash.bits = x | y;
}

fn move_y(hash: &mut HashBits, d: i8) {
    if d == 0 {
        return;
    }
    let x = hash.bits & 0xaaaaaaaaaaaaaaaa;
    let mut y = hash.bits & 0x5555555555555555;
    let zz = 0xaaaaaaaaaaaaaaaau64 >> (64 - hash.step as u32 * 2);
    if d > 0 {
        y = y.wrapping_add(zz + 1);
    } else {
        y |= zz;
        y = y.wrapping_sub(zz + 1);
    }
    y &= 0x5555555555555555u64 >> (64 - hash.step as u32 * 2);
    hash.bits = x | y;
}

/// `geohashNeighbors`: the eight cells around `hash`, at its step (wrapping around
/// the ranges' ends).
pub fn neighbors(hash: HashBits) -> Neighbors {
    let moved = |dx: i8, dy: i8| {
        let mut h = hash;
        move_x(&mut h, dx);
        move_y(&mut h, dy);
        h
    };
    Neighbors {
        east: moved(1, 0),
        west: moved(-1, 0),
        south: moved(0, -1),
        north: moved(0, 1),
        north_west: moved(-1, 1),
        north_east: moved(1, 1),
        south_east: moved(1, -1),
        south_west: moved(-1, -1),
    }
}

fn deg_rad(ang: f64) -> f64 {
    ang * D_R
}

fn rad_deg(ang: f64) -> f64 {
    ang / D_R
}

/// `geohashEstimateStepsByRadius`: the step whose cells are about as large as the
/// radius (coarser near the poles).
pub fn estimate_steps_by_radius(range_meters: f64, lat: f64) -> u8 {
    if range_meters == 0.0 {
        return 26;
    }
    let mut range_meters = range_meters;
    let mut step: i32 = 1;
    while range_meters < MERCATOR_MAX {
        range_meters *= 2.0;
        step += 1;
    }
    step -= 2; // Make sure the range is included in most of the base cases.
    if !(-66.0..=66.0).contains(&lat) {
        step -= 1;
        if !(-80.0..=80.0).contains(&lat) {
            step -= 1;
        }
    }
    step.clamp(1, 26) as u8
}

/// What a search covers: a circle of `radius` or a `width` x `height` box (both in
/// the unit whose size in meters is `conversion`), around `xy` (lon, lat).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ShapeKind {
    Circle { radius: f64 },
    Box { width: f64, height: f64 },
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shape {
    pub kind: ShapeKind,
    pub xy: [f64; 2],
    pub conversion: f64,
    /// min lon, min lat, max lon, max lat: set by `areas_for_shape`.
    pub bounds: [f64; 4],
}

/// `geohashBoundingBox`: the shape's bounding box in degrees (its left and right
/// edges taken at the latitude where the box is widest in degrees).
pub fn bounding_box(shape: &Shape) -> [f64; 4] {
    let [longitude, latitude] = shape.xy;
    let (height, width) = match shape.kind {
        ShapeKind::Circle { radius } => (shape.conversion * radius, shape.conversion * radius),
        ShapeKind::Box { width, height } => (
            shape.conversion * (height / 2.0),
            shape.conversion * (width / 2.0),
        ),
    };
    let lat_delta = rad_deg(height / EARTH_RADIUS_IN_METERS);
    let long_delta_top =
        rad_deg(width / EARTH_RADIUS_IN_METERS / deg_rad(latitude + lat_delta).cos());
    let long_delta_bottom =
        rad_deg(width / EARTH_RADIUS_IN_METERS / deg_rad(latitude - lat_delta).cos());
    let southern = latitude < 0.0;
    [
        if southern {
            longitude - long_delta_bottom
        } else {
            longitude - long_delta_top
        },
        latitude - lat_delta,
        if southern {
            longitude + long_delta_bottom
        } else {
            longitude + long_delta_top
        },
        latitude + lat_delta,
    ]
}

/// The nine cells a search looks in: the centre's and its neighbours (those left out
/// are zero).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SearchArea {
    pub hash: HashBits,
    pub area: Area,
    pub neighbors: Neighbors,
}

impl SearchArea {
    /// The cells in the order Redis searches them: centre, N, S, E, W, NE, NW, SE, SW.
    pub fn cells(&self) -> [HashBits; 9] {
        let n = &self.neighbors;
        [
            self.hash,
            n.north,
            n.south,
            n.east,
            n.west,
            n.north_east,
            n.north_west,
            n.south_east,
            n.south_west,
        ]
    }
}

/// `geohashCalculateAreasByShapeWGS84`: the cells covering the shape, which gets
/// its bounding box.
pub fn areas_for_shape(shape: &mut Shape) -> SearchArea {
    shape.bounds = bounding_box(shape);
    let [min_lon, min_lat, max_lon, max_lat] = shape.bounds;
    let [longitude, latitude] = shape.xy;
    // The circle's radius, or the distance from the box's centre to a corner.
    let mut radius_meters = match shape.kind {
        ShapeKind::Circle { radius } => radius,
        ShapeKind::Box { width, height } => {
            ((width / 2.0) * (width / 2.0) + (height / 2.0) * (height / 2.0)).sqrt()
        }
    };
    radius_meters *= shape.conversion;

    let mut steps = estimate_steps_by_radius(radius_meters, latitude);
    let cell = |steps: u8| {
        let hash = encode(WGS84_LONG, WGS84_LAT, longitude, latitude, steps).unwrap_or(HashBits {
            bits: 0,
            step: steps,
        });
        let area = decode(WGS84_LONG, WGS84_LAT, hash).unwrap_or_default();
        (hash, neighbors(hash), area)
    };
    let (mut hash, mut nb, mut area) = cell(steps);

    // Near the edge of the centre's cell a neighbour may be too near the search area
    // to cover it at the estimated step: then one step coarser.
    let decoded = |h: HashBits| decode(WGS84_LONG, WGS84_LAT, h).unwrap_or_default();
    let decrease_step = decoded(nb.north).latitude.max < max_lat
        || decoded(nb.south).latitude.min > min_lat
        || decoded(nb.east).longitude.max < max_lon
        || decoded(nb.west).longitude.min > min_lon;
    if steps > 1 && decrease_step {
        steps -= 1;
        (hash, nb, area) = cell(steps);
    }

    // Leave out the neighbours the search area does not reach.
    if steps >= 2 {
        if area.latitude.min < min_lat {
            nb.south = HashBits::ZERO;
            nb.south_west = HashBits::ZERO;
            nb.south_east = HashBits::ZERO;
        }
        if area.latitude.max > max_lat {
            nb.north = HashBits::ZERO;
            nb.north_east = HashBits::ZERO;
            nb.north_west = HashBits::ZERO;
        }
        if area.longitude.min < min_lon {
            nb.west = HashBits::ZERO;
            nb.south_west = HashBits::ZERO;
            nb.north_west = HashBits::ZERO;
        }
        if area.longitude.max > max_lon {
            nb.east = HashBits::ZERO;
            nb.south_east = HashBits::ZERO;
            nb.north_east = HashBits::ZERO;
        }
    }
    SearchArea {
        hash,
        area,
        neighbors: nb,
    }
}

/// `geohashGetLatDistance`: the distance along a meridian.
fn lat_distance(lat1d: f64, lat2d: f64) -> f64 {
    EARTH_RADIUS_IN_METERS * (deg_rad(lat2d) - deg_rad(lat1d)).abs()
}

/// `geohashGetDistance`: the haversine great-circle distance in meters.
pub fn distance(lon1d: f64, lat1d: f64, lon2d: f64, lat2d: f64) -> f64 {
    let lon1r = deg_rad(lon1d);
    let lon2r = deg_rad(lon2d);
    let v = ((lon2r - lon1r) / 2.0).sin();
    // Same longitude: no need for the expensive part.
    if v == 0.0 {
        return lat_distance(lat1d, lat2d);
    }
    let lat1r = deg_rad(lat1d);
    let lat2r = deg_rad(lat2d);
    let u = ((lat2r - lat1r) / 2.0).sin();
    let a = u * u + lat1r.cos() * lat2r.cos() * v * v;
    2.0 * EARTH_RADIUS_IN_METERS * a.sqrt().asin()
}

/// `geoWithinShape` after the decode: the distance from the shape's centre to the
/// point at `xy`, if the point is within the shape.
pub fn within_shape(shape: &Shape, xy: [f64; 2]) -> Option<f64> {
    let [x1, y1] = shape.xy;
    let [x2, y2] = xy;
    match shape.kind {
        ShapeKind::Circle { radius } => {
            let d = distance(x1, y1, x2, y2);
            // As Redis's `*distance > radius`: a NaN distance is within.
            if d > radius * shape.conversion {
                None
            } else {
                Some(d)
            }
        }
        ShapeKind::Box { width, height } => {
            // `geohashGetDistanceIfInRectangle`: latitude first, it is cheaper.
            let (width_m, height_m) = (width * shape.conversion, height * shape.conversion);
            if lat_distance(y2, y1) > height_m / 2.0 {
                return None;
            }
            if distance(x2, y2, x1, y2) > width_m / 2.0 {
                return None;
            }
            Some(distance(x1, y1, x2, y2))
        }
    }
}

// ---------------------------------------------------------------------------------
// C's conversions and Redis's number formats
// ---------------------------------------------------------------------------------

/// x86-64's `cvttsd2si`: truncation, and i64::MIN ("integer indefinite") for NaN
/// and anything out of range.
fn cvttsd2si(x: f64) -> i64 {
    const LIMIT: f64 = 9223372036854775808.0; // 2^63
    if x.is_nan() || !(-LIMIT..LIMIT).contains(&x) {
        i64::MIN
    } else {
        x as i64
    }
}

/// C's `(uint64_t)` of a double, as gcc compiles it for x86-64: below 2^63 (or
/// unordered) a signed conversion, else one of `x - 2^63` with the top bit flipped.
pub fn c_f64_to_u64(x: f64) -> u64 {
    const TWO_63: f64 = 9223372036854775808.0;
    if x >= TWO_63 {
        (cvttsd2si(x - TWO_63) as u64) ^ (1 << 63)
    } else {
        cvttsd2si(x) as u64
    }
}

/// C's `(long long)` of a double on x86-64 (WITHHASH's integer).
pub fn c_f64_to_i64(x: f64) -> i64 {
    cvttsd2si(x)
}

/// C's `llrint` on x86-64: to nearest, ties to even; i64::MIN when out of range.
fn llrint(x: f64) -> i64 {
    cvttsd2si(x.round_ties_even())
}

/// Redis's `addReplyDoubleDistance` (`fixedpoint_d2string(.., 4)`): a distance with
/// exactly four decimals, rounded through an integer of ten-thousandths.
pub fn distance_text(d: f64) -> String {
    if d == 0.0 {
        return "0.0000".to_string();
    }
    let scaled = llrint(d * 10000.0);
    let sign = if scaled < 0 { "-" } else { "" };
    let value = scaled.unsigned_abs();
    format!("{}{}.{:04}", sign, value / 10000, value % 10000)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Scores, positions and geohashes answered by redis-server 7.0.15 (GEOADD,
    /// ZSCORE, GEOPOS, GEOHASH, GEODIST).
    #[test]
    fn encode_and_decode_as_redis() {
        // GEOADD Sicily 13.361389 38.115556 Palermo 15.087269 37.502669 Catania
        assert_eq!(score_of(13.361389, 38.115556), 3479099956230698);
        assert_eq!(score_of(15.087269, 37.502669), 3479447370796909);
        let [lon, lat] = decode_score(3479099956230698.0).unwrap();
        assert_eq!(crate::reply::format_human(lon), "13.36138933897018433");
        assert_eq!(crate::reply::format_human(lat), "38.11555639549629859");
        assert_eq!(&geohash_string(3479099956230698.0).unwrap(), b"sqc8b49rny0");
        assert_eq!(&geohash_string(3479447370796909.0).unwrap(), b"sqdtr74hyu0");
        let [lon2, lat2] = decode_score(3479447370796909.0).unwrap();
        assert_eq!(distance_text(distance(lon, lat, lon2, lat2)), "166274.1516");
        assert_eq!(
            distance_text(distance(lon, lat, lon2, lat2) / 1000.0),
            "166.2742"
        );
    }

    #[test]
    fn edges_of_the_ranges() {
        assert_eq!(score_of(-180.0, -85.05112878), 0);
        // The maximum of each range is one cell past the last: its offset, 2^26, is
        // spread by the interleave above the 52 bits (3 * 2^52, as Redis stores it).
        assert_eq!(score_of(180.0, 85.05112878), 13510798882111488);
        assert_eq!(encode_wgs84(180.1, 0.0, 26), None);
        assert_eq!(encode_wgs84(0.0, 85.06, 26), None);
    }

    #[test]
    fn scores_geoadd_never_makes_decode_as_c_converts_them() {
        assert_eq!(c_f64_to_u64(-1.0), u64::MAX);
        assert_eq!(c_f64_to_u64(-1.5), u64::MAX);
        assert_eq!(c_f64_to_u64(f64::NEG_INFINITY), 1 << 63);
        assert_eq!(c_f64_to_u64(f64::INFINITY), 0);
        assert_eq!(c_f64_to_u64(1e30), 0);
        assert_eq!(c_f64_to_u64(-1e30), 1 << 63);
        assert_eq!(c_f64_to_u64(9.3e18), 9300000000000000000);
        assert_eq!(c_f64_to_i64(1e30), i64::MIN);
    }

    #[test]
    fn distances_have_four_decimals() {
        assert_eq!(distance_text(0.0), "0.0000");
        assert_eq!(distance_text(-0.0), "0.0000");
        assert_eq!(distance_text(0.0001), "0.0001");
        assert_eq!(distance_text(6.06429515983917e-5), "0.0001");
        assert_eq!(distance_text(0.00005), "0.0000");
        assert_eq!(distance_text(0.00015), "0.0001");
        assert_eq!(distance_text(0.00025), "0.0002");
        assert_eq!(distance_text(1.5), "1.5000");
        assert_eq!(distance_text(12345.67891), "12345.6789");
        assert_eq!(distance_text(f64::NAN), "-922337203685477.5808");
    }

    /// The cells of a 200 km search around Palermo, as Redis 7.0.15's
    /// `geohashCalculateAreasByShapeWGS84` computes them: step 6, the east side left out.
    #[test]
    fn search_areas_as_redis() {
        let mut shape = Shape {
            kind: ShapeKind::Circle { radius: 200.0 },
            xy: [13.361389, 38.115556],
            conversion: 1000.0,
            bounds: [0.0; 4],
        };
        let a = areas_for_shape(&mut shape);
        assert_eq!(
            a.hash,
            HashBits {
                bits: 3164,
                step: 6
            }
        );
        let bits: Vec<u64> = a.cells().iter().map(|h| h.bits).collect();
        assert_eq!(bits, [3164, 3165, 3161, 0, 3158, 0, 3159, 0, 3155]);
        assert_eq!(
            shape.bounds,
            [
                11.017049877927567,
                36.31742012745907,
                15.705728122072435,
                39.91369187254092
            ]
        );
    }

    #[test]
    fn interleave_round_trips() {
        for (x, y) in [
            (0u32, 0u32),
            (1, 0),
            (0, 1),
            (0x3ffffff, 0x155),
            (u32::MAX, 7),
        ] {
            let d = deinterleave64(interleave64(x, y));
            assert_eq!((d as u32, (d >> 32) as u32), (x, y));
        }
    }

    #[test]
    fn steps_follow_the_radius() {
        assert_eq!(estimate_steps_by_radius(0.0, 0.0), 26);
        assert_eq!(estimate_steps_by_radius(1.0, 0.0), 24);
        assert_eq!(estimate_steps_by_radius(1000.0, 0.0), 14);
        assert_eq!(estimate_steps_by_radius(1000.0, 70.0), 13);
        assert_eq!(estimate_steps_by_radius(1000.0, -85.0), 12);
        assert_eq!(estimate_steps_by_radius(f64::INFINITY, 0.0), 1);
    }
}
