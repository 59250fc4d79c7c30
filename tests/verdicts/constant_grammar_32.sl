; Issue 10 regression, at 32 bits: the mask #x00ff0f30 is computed, not written.
(set-logic BV)
(synth-fun f ((x (_ BitVec 32))) (_ BitVec 32)
  ((S (_ BitVec 32)) (C (_ BitVec 32)))
  ((S (_ BitVec 32) ((bvand x C) (bvor S C)))
   (C (_ BitVec 32) ((Constant (_ BitVec 32))))))
(declare-var x (_ BitVec 32))
(constraint (= (f x) (bvor (bvand x (bvnot #xff00f0cf)) #x00000001)))
(check-synth)
