; Issue 13 (anytime answers): the constraint writes an answer, f(x, y) = ref(x, y), which no
; enumeration reaches within a short budget; it is verified and printed rather than nothing.
(set-logic BV)
(define-fun ref ((x (_ BitVec 32)) (y (_ BitVec 32))) (_ BitVec 32)
  (bvxor (bvadd (bvmul x #x9e3779b9) (bvlshr y #x0000000d)) (bvor (bvshl x #x00000007) (bvand y #x0f0f0f0f))))
(synth-fun f ((x (_ BitVec 32)) (y (_ BitVec 32))) (_ BitVec 32))
(declare-var x (_ BitVec 32))
(declare-var y (_ BitVec 32))
(constraint (= (f x y) (ref x y)))
(check-synth)
