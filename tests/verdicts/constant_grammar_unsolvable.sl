; No term of this grammar is x + 1, but the grammar has (Constant (_ BitVec 32)): saturating the
; enumerated constants proves nothing about the others, so the answer is `fail` (no solution
; within budget), never `infeasible`.
(set-logic BV)
(synth-fun f ((x (_ BitVec 32))) (_ BitVec 32)
  ((S (_ BitVec 32)) (C (_ BitVec 32)))
  ((S (_ BitVec 32) ((bvand x C)))
   (C (_ BitVec 32) ((Constant (_ BitVec 32))))))
(declare-var x (_ BitVec 32))
(constraint (= (f x) (bvadd x #x00000001)))
(check-synth)
