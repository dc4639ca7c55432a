;; PDQ's Jarosz box passes with WebAssembly SIMD — the hot loops of downsample-simd.ts, which drives them.
;;
;; Exactness: f32x4 add, sub, mul and div are exact binary32 operations (no fused multiply-add here), and
;; every output value sees the reference's operations in the reference's order; only the order in which
;; values are visited differs, as in downsample.ts.
;;
;; Layouts (all pointers are byte offsets into the exported memory, 16-byte aligned):
;;   rows         4 rows of floats, row r at ptr + r · rowStride
;;   interleaved  4 rows woven together: element j of row r at ptr + 16·j + 4·r, so one v128 holds
;;                column j of the 4 rows. A row box pass is a float32 running sum along the row — a
;;                dependency chain — so it runs on 4 rows at once with lanes = rows; the column pass runs
;;                with lanes = columns. lumaRow, interleave4 and deinterleave4 move between the two.
(module
  (memory (export "memory") 1)

  ;; Float luma of one row, 4 pixels per step: 0.299 R + 0.587 G + 0.114 B in float32 for RGB(A), the
  ;; grey value for grey(+alpha). Writes width4 floats (width rounded up to 4); reads up to 15 bytes past
  ;; the last pixel, which the caller leaves room for.
  (func (export "lumaRow") (param $in i32) (param $channels i32) (param $width4 i32) (param $out i32)
    (local $end i32) (local $v v128) (local $mask v128)
    (local $cr v128) (local $cg v128) (local $cb v128)
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $width4) (i32.const 2))))
    (local.set $cr (f32x4.splat (f32.const 0.299)))
    (local.set $cg (f32x4.splat (f32.const 0.587)))
    (local.set $cb (f32x4.splat (f32.const 0.114)))
    (if (i32.eq (local.get $channels) (i32.const 3))
      (then
        (block $done (loop $next
          (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
          (local.set $v (v128.load (local.get $in)))
          (v128.store (local.get $out)
            (f32x4.add
              (f32x4.add
                (f32x4.mul (local.get $cr) (f32x4.convert_i32x4_u (i8x16.swizzle (local.get $v)
                  (v128.const i8x16 0 128 128 128 3 128 128 128 6 128 128 128 9 128 128 128))))
                (f32x4.mul (local.get $cg) (f32x4.convert_i32x4_u (i8x16.swizzle (local.get $v)
                  (v128.const i8x16 1 128 128 128 4 128 128 128 7 128 128 128 10 128 128 128)))))
              (f32x4.mul (local.get $cb) (f32x4.convert_i32x4_u (i8x16.swizzle (local.get $v)
                (v128.const i8x16 2 128 128 128 5 128 128 128 8 128 128 128 11 128 128 128))))))
          (local.set $in (i32.add (local.get $in) (i32.const 12)))
          (local.set $out (i32.add (local.get $out) (i32.const 16)))
          (br $next)))
        (return)))
    (if (i32.eq (local.get $channels) (i32.const 4))
      (then
        (local.set $mask (i32x4.splat (i32.const 255)))
        (block $done (loop $next
          (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
          (local.set $v (v128.load (local.get $in)))
          (v128.store (local.get $out)
            (f32x4.add
              (f32x4.add
                (f32x4.mul (local.get $cr) (f32x4.convert_i32x4_u
                  (v128.and (local.get $v) (local.get $mask))))
                (f32x4.mul (local.get $cg) (f32x4.convert_i32x4_u
                  (v128.and (i32x4.shr_u (local.get $v) (i32.const 8)) (local.get $mask)))))
              (f32x4.mul (local.get $cb) (f32x4.convert_i32x4_u
                (v128.and (i32x4.shr_u (local.get $v) (i32.const 16)) (local.get $mask))))))
          (local.set $in (i32.add (local.get $in) (i32.const 16)))
          (local.set $out (i32.add (local.get $out) (i32.const 16)))
          (br $next)))
        (return)))
    ;; Grey (1 byte per pixel) or grey + alpha (2): the grey byte of each pixel.
    (local.set $mask
      (if (result v128) (i32.eq (local.get $channels) (i32.const 1))
        (then (v128.const i8x16 0 128 128 128 1 128 128 128 2 128 128 128 3 128 128 128))
        (else (v128.const i8x16 0 128 128 128 2 128 128 128 4 128 128 128 6 128 128 128))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
      (v128.store (local.get $out)
        (f32x4.convert_i32x4_u (i8x16.swizzle (v128.load (local.get $in)) (local.get $mask))))
      (local.set $in (i32.add (local.get $in) (i32.shl (local.get $channels) (i32.const 2))))
      (local.set $out (i32.add (local.get $out) (i32.const 16)))
      (br $next))))

  ;; 4 rows (row r at $src + r · $rowStride) → interleaved at $dst, for $width4 columns.
  (func (export "interleave4") (param $src i32) (param $rowStride i32) (param $dst i32) (param $width4 i32)
    (local $end i32) (local $a v128) (local $b v128) (local $c v128) (local $d v128)
    (local $ab_lo v128) (local $ab_hi v128) (local $cd_lo v128) (local $cd_hi v128)
    (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $width4) (i32.const 4))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
      (local.set $a (v128.load (local.get $src)))
      (local.set $b (v128.load (i32.add (local.get $src) (local.get $rowStride))))
      (local.set $c (v128.load (i32.add (local.get $src) (i32.shl (local.get $rowStride) (i32.const 1)))))
      (local.set $d (v128.load (i32.add (local.get $src) (i32.mul (local.get $rowStride) (i32.const 3)))))
      ;; a0 b0 a1 b1 | a2 b2 a3 b3 | c0 d0 c1 d1 | c2 d2 c3 d3
      (local.set $ab_lo (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a) (local.get $b)))
      (local.set $ab_hi (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a) (local.get $b)))
      (local.set $cd_lo (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $c) (local.get $d)))
      (local.set $cd_hi (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $c) (local.get $d)))
      (v128.store offset=0 (local.get $dst)
        (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $ab_lo) (local.get $cd_lo)))
      (v128.store offset=16 (local.get $dst)
        (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $ab_lo) (local.get $cd_lo)))
      (v128.store offset=32 (local.get $dst)
        (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $ab_hi) (local.get $cd_hi)))
      (v128.store offset=48 (local.get $dst)
        (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $ab_hi) (local.get $cd_hi)))
      (local.set $src (i32.add (local.get $src) (i32.const 16)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 64)))
      (br $next))))

  ;; Interleaved at $src → 4 rows (row r at $dst + r · $rowStride), for $width4 columns.
  (func (export "deinterleave4") (param $src i32) (param $dst i32) (param $rowStride i32) (param $width4 i32)
    (local $end i32) (local $a v128) (local $b v128) (local $c v128) (local $d v128)
    (local $ab_lo v128) (local $ab_hi v128) (local $cd_lo v128) (local $cd_hi v128)
    (local.set $end (i32.add (local.get $src) (i32.shl (local.get $width4) (i32.const 4))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $src) (local.get $end)))
      (local.set $a (v128.load offset=0 (local.get $src)))
      (local.set $b (v128.load offset=16 (local.get $src)))
      (local.set $c (v128.load offset=32 (local.get $src)))
      (local.set $d (v128.load offset=48 (local.get $src)))
      (local.set $ab_lo (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a) (local.get $b)))
      (local.set $ab_hi (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a) (local.get $b)))
      (local.set $cd_lo (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $c) (local.get $d)))
      (local.set $cd_hi (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $c) (local.get $d)))
      (v128.store (local.get $dst)
        (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $ab_lo) (local.get $cd_lo)))
      (v128.store (i32.add (local.get $dst) (local.get $rowStride))
        (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $ab_lo) (local.get $cd_lo)))
      (v128.store (i32.add (local.get $dst) (i32.shl (local.get $rowStride) (i32.const 1)))
        (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $ab_hi) (local.get $cd_hi)))
      (v128.store (i32.add (local.get $dst) (i32.mul (local.get $rowStride) (i32.const 3)))
        (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $ab_hi) (local.get $cd_hi)))
      (local.set $src (i32.add (local.get $src) (i32.const 64)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
      (br $next))))

  ;; The reference's box1DFloat on 4 interleaved rows of $n values at once (lanes = rows), every output
  ;; written (interleaved) to $dst. half = (window + 2) / 2; the four loops are the reference's four phases.
  (func (export "boxRows4") (param $src i32) (param $dst i32) (param $n i32) (param $window i32)
    (local $half i32) (local $k i32) (local $count i32) (local $li i32) (local $sum v128) (local $divisor v128)
    (local.set $half (i32.shr_u (i32.add (local.get $window) (i32.const 2)) (i32.const 1)))
    (local.set $li (local.get $src))
    ;; (1) half − 1 values summed, no output
    (local.set $k (i32.sub (local.get $half) (i32.const 1)))
    (block $done (loop $next
      (br_if $done (i32.le_s (local.get $k) (i32.const 0)))
      (local.set $sum (f32x4.add (local.get $sum) (v128.load (local.get $src))))
      (local.set $src (i32.add (local.get $src) (i32.const 16)))
      (local.set $count (i32.add (local.get $count) (i32.const 1)))
      (local.set $k (i32.sub (local.get $k) (i32.const 1)))
      (br $next)))
    ;; (2) window − half + 1 times: add the next value, count grows
    (local.set $k (i32.add (i32.sub (local.get $window) (local.get $half)) (i32.const 1)))
    (block $done (loop $next
      (br_if $done (i32.le_s (local.get $k) (i32.const 0)))
      (local.set $sum (f32x4.add (local.get $sum) (v128.load (local.get $src))))
      (local.set $src (i32.add (local.get $src) (i32.const 16)))
      (local.set $count (i32.add (local.get $count) (i32.const 1)))
      (v128.store (local.get $dst)
        (f32x4.div (local.get $sum) (f32x4.splat (f32.convert_i32_s (local.get $count)))))
      (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
      (local.set $k (i32.sub (local.get $k) (i32.const 1)))
      (br $next)))
    ;; (3) n − window times: add the next value, then subtract the oldest
    (local.set $divisor (f32x4.splat (f32.convert_i32_s (local.get $count))))
    (local.set $k (i32.sub (local.get $n) (local.get $window)))
    (block $done (loop $next
      (br_if $done (i32.le_s (local.get $k) (i32.const 0)))
      (local.set $sum
        (f32x4.sub (f32x4.add (local.get $sum) (v128.load (local.get $src))) (v128.load (local.get $li))))
      (local.set $src (i32.add (local.get $src) (i32.const 16)))
      (local.set $li (i32.add (local.get $li) (i32.const 16)))
      (v128.store (local.get $dst) (f32x4.div (local.get $sum) (local.get $divisor)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
      (local.set $k (i32.sub (local.get $k) (i32.const 1)))
      (br $next)))
    ;; (4) half − 1 times: subtract the oldest, count shrinks
    (local.set $k (i32.sub (local.get $half) (i32.const 1)))
    (block $done (loop $next
      (br_if $done (i32.le_s (local.get $k) (i32.const 0)))
      (local.set $sum (f32x4.sub (local.get $sum) (v128.load (local.get $li))))
      (local.set $li (i32.add (local.get $li) (i32.const 16)))
      (local.set $count (i32.sub (local.get $count) (i32.const 1)))
      (v128.store (local.get $dst)
        (f32x4.div (local.get $sum) (f32x4.splat (f32.convert_i32_s (local.get $count)))))
      (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
      (local.set $k (i32.sub (local.get $k) (i32.const 1)))
      (br $next))))

  ;; Writes the 4 lanes of $v (4 rows) to $dst + 256 · lane: the same sample in 4 rows of 64 floats.
  (func $store4 (param $dst i32) (param $v v128)
    (f32.store offset=0 (local.get $dst) (f32x4.extract_lane 0 (local.get $v)))
    (f32.store offset=256 (local.get $dst) (f32x4.extract_lane 1 (local.get $v)))
    (f32.store offset=512 (local.get $dst) (f32x4.extract_lane 2 (local.get $v)))
    (f32.store offset=768 (local.get $dst) (f32x4.extract_lane 3 (local.get $v))))

  ;; The same box pass, dividing only at the 64 sampled positions ($samples: 64 increasing i32, repeated
  ;; when the row is narrower than 64), written to 4 rows of 64 floats at $dst. Returns after the 64th.
  (func (export "boxRows4Sampled")
    (param $src i32) (param $n i32) (param $window i32) (param $samples i32) (param $dst i32)
    (local $half i32) (local $k i32) (local $count i32) (local $li i32) (local $oi i32) (local $s i32)
    (local $next i32) (local $sum v128) (local $divisor v128) (local $q v128)
    (local.set $half (i32.shr_u (i32.add (local.get $window) (i32.const 2)) (i32.const 1)))
    (local.set $li (local.get $src))
    (local.set $next (i32.load (local.get $samples)))
    ;; (1)
    (local.set $k (i32.sub (local.get $half) (i32.const 1)))
    (block $done (loop $step
      (br_if $done (i32.le_s (local.get $k) (i32.const 0)))
      (local.set $sum (f32x4.add (local.get $sum) (v128.load (local.get $src))))
      (local.set $src (i32.add (local.get $src) (i32.const 16)))
      (local.set $count (i32.add (local.get $count) (i32.const 1)))
      (local.set $k (i32.sub (local.get $k) (i32.const 1)))
      (br $step)))
    ;; (2)
    (local.set $k (i32.add (i32.sub (local.get $window) (local.get $half)) (i32.const 1)))
    (block $done (loop $step
      (br_if $done (i32.le_s (local.get $k) (i32.const 0)))
      (local.set $sum (f32x4.add (local.get $sum) (v128.load (local.get $src))))
      (local.set $src (i32.add (local.get $src) (i32.const 16)))
      (local.set $count (i32.add (local.get $count) (i32.const 1)))
      (if (i32.eq (local.get $oi) (local.get $next))
        (then
          (local.set $q (f32x4.div (local.get $sum) (f32x4.splat (f32.convert_i32_s (local.get $count)))))
          (loop $emit
            (call $store4 (i32.add (local.get $dst) (i32.shl (local.get $s) (i32.const 2))) (local.get $q))
            (local.set $s (i32.add (local.get $s) (i32.const 1)))
            (if (i32.eq (local.get $s) (i32.const 64)) (then (return)))
            (local.set $next (i32.load (i32.add (local.get $samples) (i32.shl (local.get $s) (i32.const 2)))))
            (br_if $emit (i32.eq (local.get $oi) (local.get $next))))))
      (local.set $oi (i32.add (local.get $oi) (i32.const 1)))
      (local.set $k (i32.sub (local.get $k) (i32.const 1)))
      (br $step)))
    ;; (3)
    (local.set $divisor (f32x4.splat (f32.convert_i32_s (local.get $count))))
    (local.set $k (i32.sub (local.get $n) (local.get $window)))
    (block $done (loop $step
      (br_if $done (i32.le_s (local.get $k) (i32.const 0)))
      (local.set $sum
        (f32x4.sub (f32x4.add (local.get $sum) (v128.load (local.get $src))) (v128.load (local.get $li))))
      (local.set $src (i32.add (local.get $src) (i32.const 16)))
      (local.set $li (i32.add (local.get $li) (i32.const 16)))
      (if (i32.eq (local.get $oi) (local.get $next))
        (then
          (local.set $q (f32x4.div (local.get $sum) (local.get $divisor)))
          (loop $emit
            (call $store4 (i32.add (local.get $dst) (i32.shl (local.get $s) (i32.const 2))) (local.get $q))
            (local.set $s (i32.add (local.get $s) (i32.const 1)))
            (if (i32.eq (local.get $s) (i32.const 64)) (then (return)))
            (local.set $next (i32.load (i32.add (local.get $samples) (i32.shl (local.get $s) (i32.const 2)))))
            (br_if $emit (i32.eq (local.get $oi) (local.get $next))))))
      (local.set $oi (i32.add (local.get $oi) (i32.const 1)))
      (local.set $k (i32.sub (local.get $k) (i32.const 1)))
      (br $step)))
    ;; (4)
    (local.set $k (i32.sub (local.get $half) (i32.const 1)))
    (block $done (loop $step
      (br_if $done (i32.le_s (local.get $k) (i32.const 0)))
      (local.set $sum (f32x4.sub (local.get $sum) (v128.load (local.get $li))))
      (local.set $li (i32.add (local.get $li) (i32.const 16)))
      (local.set $count (i32.sub (local.get $count) (i32.const 1)))
      (if (i32.eq (local.get $oi) (local.get $next))
        (then
          (local.set $q (f32x4.div (local.get $sum) (f32x4.splat (f32.convert_i32_s (local.get $count)))))
          (loop $emit
            (call $store4 (i32.add (local.get $dst) (i32.shl (local.get $s) (i32.const 2))) (local.get $q))
            (local.set $s (i32.add (local.get $s) (i32.const 1)))
            (if (i32.eq (local.get $s) (i32.const 64)) (then (return)))
            (local.set $next (i32.load (i32.add (local.get $samples) (i32.shl (local.get $s) (i32.const 2)))))
            (br_if $emit (i32.eq (local.get $oi) (local.get $next))))))
      (local.set $oi (i32.add (local.get $oi) (i32.const 1)))
      (local.set $k (i32.sub (local.get $k) (i32.const 1)))
      (br $step))))

  ;; One row step of a column box pass over $width4 columns (lanes = columns):
  ;; sums = (sums + add) − sub, out = sums / count. The caller passes a row of zeros for `add` or `sub`
  ;; in the phases that only add or only subtract: x + 0 and x − 0 are exactly x for every running sum
  ;; here (none is −0: the sums start at +0 and every value is ≥ 0 or the result of such a subtraction).
  (func (export "columnStep")
    (param $sums i32) (param $add i32) (param $sub i32) (param $out i32) (param $count i32) (param $width4 i32)
    (local $end i32) (local $s v128) (local $divisor v128)
    (local.set $divisor (f32x4.splat (f32.convert_i32_s (local.get $count))))
    (local.set $end (i32.add (local.get $sums) (i32.shl (local.get $width4) (i32.const 2))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $sums) (local.get $end)))
      (local.set $s
        (f32x4.sub (f32x4.add (v128.load (local.get $sums)) (v128.load (local.get $add))) (v128.load (local.get $sub))))
      (v128.store (local.get $sums) (local.get $s))
      (v128.store (local.get $out) (f32x4.div (local.get $s) (local.get $divisor)))
      (local.set $sums (i32.add (local.get $sums) (i32.const 16)))
      (local.set $add (i32.add (local.get $add) (i32.const 16)))
      (local.set $sub (i32.add (local.get $sub) (i32.const 16)))
      (local.set $out (i32.add (local.get $out) (i32.const 16)))
      (br $next))))
)
