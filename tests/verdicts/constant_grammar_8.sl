; Issue 10 regression: the grammar's only constant comes from (Constant ...), and the needed value
; (#x3c) is not written in the problem, so it is not in the enumerated pool. It must be found,
; never reported `infeasible`.
(set-logic BV)
(synth-fun f ((x (_ BitVec 8))) (_ BitVec 8)
  ((S (_ BitVec 8)) (C (_ BitVec 8)))
  ((S (_ BitVec 8) ((bvand x C)))
   (C (_ BitVec 8) ((Constant (_ BitVec 8))))))
(declare-var x (_ BitVec 8))
(constraint (= (f x) (bvand x (bvxor #x5a #x66))))
(check-synth)
