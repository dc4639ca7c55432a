;; PDQ's Jarosz box passes with WebAssembly SIMD — the hot loops of downsample-simd.ts, which drives them.
;;
;; Exactness: f32x4 add, sub, mul and div are exact binary32 operations (no fused multiply-add here), and
;; every output value sees the reference's operations in the reference's order; only the order in which
;; values are visited differs, as in downsample.ts.
;;
;; Layouts (all pointers are byte offsets into the exported memory, 16-byte aligned):
;;   rows   floats row by row, row r at ptr + r · rowStride
;;   woven  4 rows woven together: element j of row r at ptr + 16·j + 4·r, so one v128 holds column j of
;;          the 4 rows. A row box pass is a float32 running sum along the row — a dependency chain — so it
;;          runs with lanes = rows, on 8 rows (two woven halves), and the two row passes run in the same
;;          loop (boxRowsTwice8) so that four chains overlap with the divisions; the column passes run
;;          with lanes = columns. lumaWoven4, unweave4 and columnSteps4Woven move between the
;;          two with 4×4 transposes (i8x16.shuffle patterns that compile to unpack/movlhps instructions).
;;
;; Speed notes, measured: a v128.const used inside a loop is rebuilt on every iteration by V8, so the
;; masks are kept in locals; helper functions taking v128 are not inlined, so transposes are written out.
(module
  (memory (export "memory") 1)

  ;; Float luma of 4 rows (row r at $in + r · $rowStride, $channels bytes per pixel), written woven at $dst
  ;; for $width4 columns (the width rounded up to 4): 0.299 R + 0.587 G + 0.114 B with each product and sum
  ;; in float32 for RGB(A), the grey value for grey(+alpha). Computed 4 pixels of a row at a time
  ;; (lanes = columns), then transposed. Reads up to 15 bytes past the last pixel converted.
  (func (export "lumaWoven4") (param $in i32) (param $rowStride i32) (param $channels i32) (param $width4 i32) (param $dst i32)
    (local $end i32) (local $rs2 i32) (local $rs3 i32) (local $v v128) (local $pick v128) (local $byte v128)
    (local $cr v128) (local $cg v128) (local $cb v128) (local $a v128) (local $b v128) (local $c v128) (local $d v128)
    (local $ab_lo v128) (local $ab_hi v128) (local $cd_lo v128) (local $cd_hi v128) (local $mr v128) (local $mg v128) (local $mb v128)
    (local.set $mr (v128.const i8x16 0 128 128 128 3 128 128 128 6 128 128 128 9 128 128 128))
    (local.set $mg (v128.const i8x16 1 128 128 128 4 128 128 128 7 128 128 128 10 128 128 128))
    (local.set $mb (v128.const i8x16 2 128 128 128 5 128 128 128 8 128 128 128 11 128 128 128))
    (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $width4) (i32.const 4))))
    (local.set $rs2 (i32.shl (local.get $rowStride) (i32.const 1)))
    (local.set $rs3 (i32.add (local.get $rs2) (local.get $rowStride)))
    (local.set $cr (f32x4.splat (f32.const 0.299)))
    (local.set $cg (f32x4.splat (f32.const 0.587)))
    (local.set $cb (f32x4.splat (f32.const 0.114)))
    (local.set $byte (i32x4.splat (i32.const 255)))
    (if (i32.eq (local.get $channels) (i32.const 3))
      (then
        (block $done (loop $next
          (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
          (local.set $v (v128.load (local.get $in)))
          (local.set $a (f32x4.add
            (f32x4.add
              (f32x4.mul (local.get $cr) (f32x4.convert_i32x4_s (i8x16.swizzle (local.get $v) (local.get $mr))))
              (f32x4.mul (local.get $cg) (f32x4.convert_i32x4_s (i8x16.swizzle (local.get $v) (local.get $mg)))))
            (f32x4.mul (local.get $cb) (f32x4.convert_i32x4_s (i8x16.swizzle (local.get $v) (local.get $mb))))))
          (local.set $v (v128.load (i32.add (local.get $in) (local.get $rowStride))))
          (local.set $b (f32x4.add
            (f32x4.add
              (f32x4.mul (local.get $cr) (f32x4.convert_i32x4_s (i8x16.swizzle (local.get $v) (local.get $mr))))
              (f32x4.mul (local.get $cg) (f32x4.convert_i32x4_s (i8x16.swizzle (local.get $v) (local.get $mg)))))
            (f32x4.mul (local.get $cb) (f32x4.convert_i32x4_s (i8x16.swizzle (local.get $v) (local.get $mb))))))
          (local.set $v (v128.load (i32.add (local.get $in) (local.get $rs2))))
          (local.set $c (f32x4.add
            (f32x4.add
              (f32x4.mul (local.get $cr) (f32x4.convert_i32x4_s (i8x16.swizzle (local.get $v) (local.get $mr))))
              (f32x4.mul (local.get $cg) (f32x4.convert_i32x4_s (i8x16.swizzle (local.get $v) (local.get $mg)))))
            (f32x4.mul (local.get $cb) (f32x4.convert_i32x4_s (i8x16.swizzle (local.get $v) (local.get $mb))))))
          (local.set $v (v128.load (i32.add (local.get $in) (local.get $rs3))))
          (local.set $d (f32x4.add
            (f32x4.add
              (f32x4.mul (local.get $cr) (f32x4.convert_i32x4_s (i8x16.swizzle (local.get $v) (local.get $mr))))
              (f32x4.mul (local.get $cg) (f32x4.convert_i32x4_s (i8x16.swizzle (local.get $v) (local.get $mg)))))
            (f32x4.mul (local.get $cb) (f32x4.convert_i32x4_s (i8x16.swizzle (local.get $v) (local.get $mb))))))
          (local.set $ab_lo (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a) (local.get $b)))
          (local.set $ab_hi (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a) (local.get $b)))
          (local.set $cd_lo (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $c) (local.get $d)))
          (local.set $cd_hi (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $c) (local.get $d)))
          (v128.store offset=0 (local.get $dst) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $ab_lo) (local.get $cd_lo)))
          (v128.store offset=16 (local.get $dst) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $ab_lo) (local.get $cd_lo)))
          (v128.store offset=32 (local.get $dst) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $ab_hi) (local.get $cd_hi)))
          (v128.store offset=48 (local.get $dst) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $ab_hi) (local.get $cd_hi)))
          (local.set $in (i32.add (local.get $in) (i32.const 12)))
          (local.set $dst (i32.add (local.get $dst) (i32.const 64)))
          (br $next)))
        (return)))
    (if (i32.eq (local.get $channels) (i32.const 4))
      (then
        (block $done (loop $next
          (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
          (local.set $v (v128.load (local.get $in)))
          (local.set $a (f32x4.add
            (f32x4.add
              (f32x4.mul (local.get $cr) (f32x4.convert_i32x4_s (v128.and (local.get $v) (local.get $byte))))
              (f32x4.mul (local.get $cg) (f32x4.convert_i32x4_s
                (v128.and (i32x4.shr_u (local.get $v) (i32.const 8)) (local.get $byte)))))
            (f32x4.mul (local.get $cb) (f32x4.convert_i32x4_s
              (v128.and (i32x4.shr_u (local.get $v) (i32.const 16)) (local.get $byte))))))
          (local.set $v (v128.load (i32.add (local.get $in) (local.get $rowStride))))
          (local.set $b (f32x4.add
            (f32x4.add
              (f32x4.mul (local.get $cr) (f32x4.convert_i32x4_s (v128.and (local.get $v) (local.get $byte))))
              (f32x4.mul (local.get $cg) (f32x4.convert_i32x4_s
                (v128.and (i32x4.shr_u (local.get $v) (i32.const 8)) (local.get $byte)))))
            (f32x4.mul (local.get $cb) (f32x4.convert_i32x4_s
              (v128.and (i32x4.shr_u (local.get $v) (i32.const 16)) (local.get $byte))))))
          (local.set $v (v128.load (i32.add (local.get $in) (local.get $rs2))))
          (local.set $c (f32x4.add
            (f32x4.add
              (f32x4.mul (local.get $cr) (f32x4.convert_i32x4_s (v128.and (local.get $v) (local.get $byte))))
              (f32x4.mul (local.get $cg) (f32x4.convert_i32x4_s
                (v128.and (i32x4.shr_u (local.get $v) (i32.const 8)) (local.get $byte)))))
            (f32x4.mul (local.get $cb) (f32x4.convert_i32x4_s
              (v128.and (i32x4.shr_u (local.get $v) (i32.const 16)) (local.get $byte))))))
          (local.set $v (v128.load (i32.add (local.get $in) (local.get $rs3))))
          (local.set $d (f32x4.add
            (f32x4.add
              (f32x4.mul (local.get $cr) (f32x4.convert_i32x4_s (v128.and (local.get $v) (local.get $byte))))
              (f32x4.mul (local.get $cg) (f32x4.convert_i32x4_s
                (v128.and (i32x4.shr_u (local.get $v) (i32.const 8)) (local.get $byte)))))
            (f32x4.mul (local.get $cb) (f32x4.convert_i32x4_s
              (v128.and (i32x4.shr_u (local.get $v) (i32.const 16)) (local.get $byte))))))
          (local.set $ab_lo (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a) (local.get $b)))
          (local.set $ab_hi (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a) (local.get $b)))
          (local.set $cd_lo (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $c) (local.get $d)))
          (local.set $cd_hi (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $c) (local.get $d)))
          (v128.store offset=0 (local.get $dst) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $ab_lo) (local.get $cd_lo)))
          (v128.store offset=16 (local.get $dst) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $ab_lo) (local.get $cd_lo)))
          (v128.store offset=32 (local.get $dst) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $ab_hi) (local.get $cd_hi)))
          (v128.store offset=48 (local.get $dst) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $ab_hi) (local.get $cd_hi)))
          (local.set $in (i32.add (local.get $in) (i32.const 16)))
          (local.set $dst (i32.add (local.get $dst) (i32.const 64)))
          (br $next)))
        (return)))
    ;; Grey (1 byte per pixel) or grey + alpha (2): the grey byte of each pixel.
    (local.set $pick
      (if (result v128) (i32.eq (local.get $channels) (i32.const 1))
        (then (v128.const i8x16 0 128 128 128 1 128 128 128 2 128 128 128 3 128 128 128))
        (else (v128.const i8x16 0 128 128 128 2 128 128 128 4 128 128 128 6 128 128 128))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
      (local.set $a (f32x4.convert_i32x4_s (i8x16.swizzle (v128.load (local.get $in)) (local.get $pick))))
      (local.set $b (f32x4.convert_i32x4_s (i8x16.swizzle (v128.load (i32.add (local.get $in) (local.get $rowStride))) (local.get $pick))))
      (local.set $c (f32x4.convert_i32x4_s (i8x16.swizzle (v128.load (i32.add (local.get $in) (local.get $rs2))) (local.get $pick))))
      (local.set $d (f32x4.convert_i32x4_s (i8x16.swizzle (v128.load (i32.add (local.get $in) (local.get $rs3))) (local.get $pick))))
      (local.set $ab_lo (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a) (local.get $b)))
      (local.set $ab_hi (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a) (local.get $b)))
      (local.set $cd_lo (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $c) (local.get $d)))
      (local.set $cd_hi (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $c) (local.get $d)))
      (v128.store offset=0 (local.get $dst) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $ab_lo) (local.get $cd_lo)))
      (v128.store offset=16 (local.get $dst) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $ab_lo) (local.get $cd_lo)))
      (v128.store offset=32 (local.get $dst) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $ab_hi) (local.get $cd_hi)))
      (v128.store offset=48 (local.get $dst) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $ab_hi) (local.get $cd_hi)))
      (local.set $in (i32.add (local.get $in) (i32.shl (local.get $channels) (i32.const 2))))
      (local.set $dst (i32.add (local.get $dst) (i32.const 64)))
      (br $next))))

  ;; Woven at $src → 4 rows (row r at $dst + r · $rowStride), for $width4 columns.
  (func (export "unweave4") (param $src i32) (param $dst i32) (param $rowStride i32) (param $width4 i32)
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
      (v128.store (local.get $dst) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $ab_lo) (local.get $cd_lo)))
      (v128.store (i32.add (local.get $dst) (local.get $rowStride))
        (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $ab_lo) (local.get $cd_lo)))
      (v128.store (i32.add (local.get $dst) (i32.shl (local.get $rowStride) (i32.const 1)))
        (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $ab_hi) (local.get $cd_hi)))
      (v128.store (i32.add (local.get $dst) (i32.mul (local.get $rowStride) (i32.const 3)))
        (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $ab_hi) (local.get $cd_hi)))
      (local.set $src (i32.add (local.get $src) (i32.const 64)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
      (br $next))))

  ;; Two row passes at once, both the reference's box1DFloat with the same length and window, each on 8 rows
  ;; (two woven halves of 4 rows at $x and $x + $other):
  ;;   the first row pass of stage A, from $a, every output written woven to $aOut;
  ;;   the second row pass of stage C, from $c, output only at the 64 sampled positions ($samples: 64
  ;;   increasing i32, repeated when the row is narrower than 64), to 8 rows of 64 floats at $cOut.
  ;; Four independent running sums (lanes = rows) keep the dependency chains overlapping while the divisions
  ;; of stage A go on. half = (window + 2) / 2; the four loops are the reference's four phases.
  (func (export "boxRowsTwice8")
    (param $a i32) (param $aOut i32) (param $c i32) (param $other i32) (param $n i32) (param $window i32)
    (param $samples i32) (param $cOut i32)
    (local $half i32) (local $k i32) (local $count i32) (local $ra i32) (local $la i32) (local $rc i32) (local $lc i32)
    (local $da i32) (local $dc i32) (local $oi i32) (local $s i32) (local $next i32)
    (local $a0 v128) (local $a1 v128) (local $c0 v128) (local $c1 v128) (local $divisor v128) (local $q0 v128) (local $q1 v128)
    (local.set $half (i32.shr_u (i32.add (local.get $window) (i32.const 2)) (i32.const 1)))
    (local.set $ra (local.get $a)) (local.set $la (local.get $a))
    (local.set $rc (local.get $c)) (local.set $lc (local.get $c))
    (local.set $da (local.get $aOut)) (local.set $dc (local.get $cOut))
    (local.set $next (i32.load (local.get $samples)))
    ;; (1) half − 1 values summed, no output
    (local.set $k (i32.sub (local.get $half) (i32.const 1)))
    (block $done (loop $next
      (br_if $done (i32.le_s (local.get $k) (i32.const 0)))
      (local.set $a0 (f32x4.add (local.get $a0) (v128.load (local.get $ra))))
      (local.set $a1 (f32x4.add (local.get $a1) (v128.load (i32.add (local.get $ra) (local.get $other)))))
      (local.set $c0 (f32x4.add (local.get $c0) (v128.load (local.get $rc))))
      (local.set $c1 (f32x4.add (local.get $c1) (v128.load (i32.add (local.get $rc) (local.get $other)))))
      (local.set $ra (i32.add (local.get $ra) (i32.const 16)))
      (local.set $rc (i32.add (local.get $rc) (i32.const 16)))
      (local.set $count (i32.add (local.get $count) (i32.const 1)))
      (local.set $k (i32.sub (local.get $k) (i32.const 1)))
      (br $next)))
    ;; (2) window − half + 1 times: add the next value, count grows
    (local.set $k (i32.add (i32.sub (local.get $window) (local.get $half)) (i32.const 1)))
    (block $done (loop $next
      (br_if $done (i32.le_s (local.get $k) (i32.const 0)))
      (local.set $a0 (f32x4.add (local.get $a0) (v128.load (local.get $ra))))
      (local.set $a1 (f32x4.add (local.get $a1) (v128.load (i32.add (local.get $ra) (local.get $other)))))
      (local.set $c0 (f32x4.add (local.get $c0) (v128.load (local.get $rc))))
      (local.set $c1 (f32x4.add (local.get $c1) (v128.load (i32.add (local.get $rc) (local.get $other)))))
      (local.set $ra (i32.add (local.get $ra) (i32.const 16)))
      (local.set $rc (i32.add (local.get $rc) (i32.const 16)))
      (local.set $count (i32.add (local.get $count) (i32.const 1)))
      (local.set $divisor (f32x4.splat (f32.convert_i32_s (local.get $count))))
      (v128.store (local.get $da) (f32x4.div (local.get $a0) (local.get $divisor)))
      (v128.store (i32.add (local.get $da) (local.get $other)) (f32x4.div (local.get $a1) (local.get $divisor)))
      (local.set $da (i32.add (local.get $da) (i32.const 16)))
      (if (i32.eq (local.get $oi) (local.get $next))
        (then
          (local.set $q0 (f32x4.div (local.get $c0) (local.get $divisor)))
          (local.set $q1 (f32x4.div (local.get $c1) (local.get $divisor)))
          (loop $emit
            (call $store8 (i32.add (local.get $dc) (i32.shl (local.get $s) (i32.const 2))) (local.get $q0) (local.get $q1))
            (local.set $s (i32.add (local.get $s) (i32.const 1)))
            ;; after the 64th sample, next = −1 matches no position: stage A's half goes on alone
            (local.set $next (if (result i32) (i32.lt_u (local.get $s) (i32.const 64))
              (then (i32.load (i32.add (local.get $samples) (i32.shl (local.get $s) (i32.const 2)))))
              (else (i32.const -1))))
            (br_if $emit (i32.eq (local.get $oi) (local.get $next))))))
      (local.set $oi (i32.add (local.get $oi) (i32.const 1)))
      (local.set $k (i32.sub (local.get $k) (i32.const 1)))
      (br $next)))
    ;; (3) n − window times: add the next value, then subtract the oldest
    (local.set $divisor (f32x4.splat (f32.convert_i32_s (local.get $count))))
    (local.set $k (i32.sub (local.get $n) (local.get $window)))
    (block $done (loop $next
      (br_if $done (i32.le_s (local.get $k) (i32.const 0)))
      (local.set $a0 (f32x4.sub (f32x4.add (local.get $a0) (v128.load (local.get $ra))) (v128.load (local.get $la))))
      (local.set $a1 (f32x4.sub (f32x4.add (local.get $a1) (v128.load (i32.add (local.get $ra) (local.get $other)))) (v128.load (i32.add (local.get $la) (local.get $other)))))
      (local.set $c0 (f32x4.sub (f32x4.add (local.get $c0) (v128.load (local.get $rc))) (v128.load (local.get $lc))))
      (local.set $c1 (f32x4.sub (f32x4.add (local.get $c1) (v128.load (i32.add (local.get $rc) (local.get $other)))) (v128.load (i32.add (local.get $lc) (local.get $other)))))
      (local.set $ra (i32.add (local.get $ra) (i32.const 16)))
      (local.set $rc (i32.add (local.get $rc) (i32.const 16)))
      (local.set $la (i32.add (local.get $la) (i32.const 16)))
      (local.set $lc (i32.add (local.get $lc) (i32.const 16)))
      (v128.store (local.get $da) (f32x4.div (local.get $a0) (local.get $divisor)))
      (v128.store (i32.add (local.get $da) (local.get $other)) (f32x4.div (local.get $a1) (local.get $divisor)))
      (local.set $da (i32.add (local.get $da) (i32.const 16)))
      (if (i32.eq (local.get $oi) (local.get $next))
        (then
          (local.set $q0 (f32x4.div (local.get $c0) (local.get $divisor)))
          (local.set $q1 (f32x4.div (local.get $c1) (local.get $divisor)))
          (loop $emit
            (call $store8 (i32.add (local.get $dc) (i32.shl (local.get $s) (i32.const 2))) (local.get $q0) (local.get $q1))
            (local.set $s (i32.add (local.get $s) (i32.const 1)))
            ;; after the 64th sample, next = −1 matches no position: stage A's half goes on alone
            (local.set $next (if (result i32) (i32.lt_u (local.get $s) (i32.const 64))
              (then (i32.load (i32.add (local.get $samples) (i32.shl (local.get $s) (i32.const 2)))))
              (else (i32.const -1))))
            (br_if $emit (i32.eq (local.get $oi) (local.get $next))))))
      (local.set $oi (i32.add (local.get $oi) (i32.const 1)))
      (local.set $k (i32.sub (local.get $k) (i32.const 1)))
      (br $next)))
    ;; (4) half − 1 times: subtract the oldest, count shrinks
    (local.set $k (i32.sub (local.get $half) (i32.const 1)))
    (block $done (loop $next
      (br_if $done (i32.le_s (local.get $k) (i32.const 0)))
      (local.set $a0 (f32x4.sub (local.get $a0) (v128.load (local.get $la))))
      (local.set $a1 (f32x4.sub (local.get $a1) (v128.load (i32.add (local.get $la) (local.get $other)))))
      (local.set $c0 (f32x4.sub (local.get $c0) (v128.load (local.get $lc))))
      (local.set $c1 (f32x4.sub (local.get $c1) (v128.load (i32.add (local.get $lc) (local.get $other)))))
      (local.set $la (i32.add (local.get $la) (i32.const 16)))
      (local.set $lc (i32.add (local.get $lc) (i32.const 16)))
      (local.set $count (i32.sub (local.get $count) (i32.const 1)))
      (local.set $divisor (f32x4.splat (f32.convert_i32_s (local.get $count))))
      (v128.store (local.get $da) (f32x4.div (local.get $a0) (local.get $divisor)))
      (v128.store (i32.add (local.get $da) (local.get $other)) (f32x4.div (local.get $a1) (local.get $divisor)))
      (local.set $da (i32.add (local.get $da) (i32.const 16)))
      (if (i32.eq (local.get $oi) (local.get $next))
        (then
          (local.set $q0 (f32x4.div (local.get $c0) (local.get $divisor)))
          (local.set $q1 (f32x4.div (local.get $c1) (local.get $divisor)))
          (loop $emit
            (call $store8 (i32.add (local.get $dc) (i32.shl (local.get $s) (i32.const 2))) (local.get $q0) (local.get $q1))
            (local.set $s (i32.add (local.get $s) (i32.const 1)))
            ;; after the 64th sample, next = −1 matches no position: stage A's half goes on alone
            (local.set $next (if (result i32) (i32.lt_u (local.get $s) (i32.const 64))
              (then (i32.load (i32.add (local.get $samples) (i32.shl (local.get $s) (i32.const 2)))))
              (else (i32.const -1))))
            (br_if $emit (i32.eq (local.get $oi) (local.get $next))))))
      (local.set $oi (i32.add (local.get $oi) (i32.const 1)))
      (local.set $k (i32.sub (local.get $k) (i32.const 1)))
      (br $next))))

  ;; Writes the lanes of $v0 (rows 0–3) and $v1 (rows 4–7) to $dst + 256 · row: one sample in 8 rows of 64.
  (func $store8 (param $dst i32) (param $v0 v128) (param $v1 v128)
    (f32.store offset=0 (local.get $dst) (f32x4.extract_lane 0 (local.get $v0)))
    (f32.store offset=256 (local.get $dst) (f32x4.extract_lane 1 (local.get $v0)))
    (f32.store offset=512 (local.get $dst) (f32x4.extract_lane 2 (local.get $v0)))
    (f32.store offset=768 (local.get $dst) (f32x4.extract_lane 3 (local.get $v0)))
    (f32.store offset=1024 (local.get $dst) (f32x4.extract_lane 0 (local.get $v1)))
    (f32.store offset=1280 (local.get $dst) (f32x4.extract_lane 1 (local.get $v1)))
    (f32.store offset=1536 (local.get $dst) (f32x4.extract_lane 2 (local.get $v1)))
    (f32.store offset=1792 (local.get $dst) (f32x4.extract_lane 3 (local.get $v1))))

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

  ;; Four successive row steps of the column pass (rows with their own add row $a·, subtract row $l· and
  ;; count $c·, zeros rows as in columnStep), the 4 output rows written woven at $dst for the row pass that
  ;; follows.
  (func (export "columnSteps4Woven")
    (param $sums i32) (param $a0 i32) (param $a1 i32) (param $a2 i32) (param $a3 i32)
    (param $l0 i32) (param $l1 i32) (param $l2 i32) (param $l3 i32)
    (param $c0 i32) (param $c1 i32) (param $c2 i32) (param $c3 i32) (param $dst i32) (param $width4 i32)
    (local $j i32) (local $end i32) (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local $d0 v128) (local $d1 v128) (local $d2 v128) (local $d3 v128)
    (local $ab_lo v128) (local $ab_hi v128) (local $cd_lo v128) (local $cd_hi v128)
    (local.set $d0 (f32x4.splat (f32.convert_i32_s (local.get $c0))))
    (local.set $d1 (f32x4.splat (f32.convert_i32_s (local.get $c1))))
    (local.set $d2 (f32x4.splat (f32.convert_i32_s (local.get $c2))))
    (local.set $d3 (f32x4.splat (f32.convert_i32_s (local.get $c3))))
    (local.set $end (i32.shl (local.get $width4) (i32.const 2)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $j) (local.get $end)))
      (local.set $s0 (f32x4.sub (f32x4.add (v128.load (i32.add (local.get $sums) (local.get $j)))
        (v128.load (i32.add (local.get $a0) (local.get $j)))) (v128.load (i32.add (local.get $l0) (local.get $j)))))
      (local.set $s1 (f32x4.sub (f32x4.add (local.get $s0)
        (v128.load (i32.add (local.get $a1) (local.get $j)))) (v128.load (i32.add (local.get $l1) (local.get $j)))))
      (local.set $s2 (f32x4.sub (f32x4.add (local.get $s1)
        (v128.load (i32.add (local.get $a2) (local.get $j)))) (v128.load (i32.add (local.get $l2) (local.get $j)))))
      (local.set $s3 (f32x4.sub (f32x4.add (local.get $s2)
        (v128.load (i32.add (local.get $a3) (local.get $j)))) (v128.load (i32.add (local.get $l3) (local.get $j)))))
      (v128.store (i32.add (local.get $sums) (local.get $j)) (local.get $s3))
      (local.set $ab_lo (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (f32x4.div (local.get $s0) (local.get $d0)) (f32x4.div (local.get $s1) (local.get $d1))))
      (local.set $ab_hi (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (f32x4.div (local.get $s0) (local.get $d0)) (f32x4.div (local.get $s1) (local.get $d1))))
      (local.set $cd_lo (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (f32x4.div (local.get $s2) (local.get $d2)) (f32x4.div (local.get $s3) (local.get $d3))))
      (local.set $cd_hi (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (f32x4.div (local.get $s2) (local.get $d2)) (f32x4.div (local.get $s3) (local.get $d3))))
      (v128.store offset=0 (local.get $dst) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $ab_lo) (local.get $cd_lo)))
      (v128.store offset=16 (local.get $dst) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $ab_lo) (local.get $cd_lo)))
      (v128.store offset=32 (local.get $dst) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $ab_hi) (local.get $cd_hi)))
      (v128.store offset=48 (local.get $dst) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $ab_hi) (local.get $cd_hi)))
      (local.set $j (i32.add (local.get $j) (i32.const 16)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 64)))
      (br $next))))

  ;; PDQ's DCT (frequencies 1–16 of the 64×64 buffer) as the reference computes it: T = D·A, then B = T·Dᵀ,
  ;; each entry a float32 running sum of float32 products over k in order (no fused multiply-add).
  ;; Vectorised over 4 output columns j at once; $dt holds Dᵀ (64×16) so those 4 columns are contiguous.
  ;; $a: 64×64, $d: 16×64, $dt: 64×16, $t: 16×64 scratch, $b: 16×16 output, all row-major floats.
  (func (export "dct16") (param $a i32) (param $d i32) (param $dt i32) (param $t i32) (param $b i32)
    (local $i i32) (local $j i32) (local $k i32) (local $sum v128)
    ;; T[i][j] = Σ_k D[i][k] · A[k][j]
    (local.set $i (i32.const 0))
    (loop $rows
      (local.set $j (i32.const 0))
      (loop $columns
        (local.set $sum (v128.const i32x4 0 0 0 0))
        (local.set $k (i32.const 0))
        (loop $terms
          (local.set $sum (f32x4.add (local.get $sum) (f32x4.mul
            (f32x4.splat (f32.load (i32.add (local.get $d) (i32.shl (i32.add (i32.shl (local.get $i) (i32.const 6)) (local.get $k)) (i32.const 2)))))
            (v128.load (i32.add (local.get $a) (i32.shl (i32.add (i32.shl (local.get $k) (i32.const 6)) (local.get $j)) (i32.const 2)))))))
          (br_if $terms (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 1))) (i32.const 64))))
        (v128.store (i32.add (local.get $t) (i32.shl (i32.add (i32.shl (local.get $i) (i32.const 6)) (local.get $j)) (i32.const 2)))
          (local.get $sum))
        (br_if $columns (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 4))) (i32.const 64))))
      (br_if $rows (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 16))))
    ;; B[i][j] = Σ_k T[i][k] · D[j][k] = Σ_k T[i][k] · Dᵀ[k][j]
    (local.set $i (i32.const 0))
    (loop $rows
      (local.set $j (i32.const 0))
      (loop $columns
        (local.set $sum (v128.const i32x4 0 0 0 0))
        (local.set $k (i32.const 0))
        (loop $terms
          (local.set $sum (f32x4.add (local.get $sum) (f32x4.mul
            (f32x4.splat (f32.load (i32.add (local.get $t) (i32.shl (i32.add (i32.shl (local.get $i) (i32.const 6)) (local.get $k)) (i32.const 2)))))
            (v128.load (i32.add (local.get $dt) (i32.shl (i32.add (i32.shl (local.get $k) (i32.const 4)) (local.get $j)) (i32.const 2)))))))
          (br_if $terms (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 1))) (i32.const 64))))
        (v128.store (i32.add (local.get $b) (i32.shl (i32.add (i32.shl (local.get $i) (i32.const 4)) (local.get $j)) (i32.const 2)))
          (local.get $sum))
        (br_if $columns (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 4))) (i32.const 16))))
      (br_if $rows (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 16)))))
)
