; Issue 12 item 5 (two engines): the constraint writes an answer with dead weight (y - y, x & x,
; a multiply by a power of two); the e-graph's optimization of it is proved and printed when the
; enumeration runs out of budget, and with --optimal it is the answer the search must beat.
(set-logic BV)
(define-fun ref ((x (_ BitVec 32)) (y (_ BitVec 32))) (_ BitVec 32)
  (bvadd (bvsub y y)
    (bvxor (bvadd (bvmul (bvand x x) #x9e3779b9) (bvlshr y #x0000000d))
           (bvor (bvmul x #x00000080) (bvand y #x0f0f0f0f)))))
(synth-fun f ((x (_ BitVec 32)) (y (_ BitVec 32))) (_ BitVec 32))
(declare-var x (_ BitVec 32))
(declare-var y (_ BitVec 32))
(constraint (= (f x y) (ref x y)))
(check-synth)
