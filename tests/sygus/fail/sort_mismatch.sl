; Operands of different widths.
(set-logic BV)
(synth-fun f ((x (_ BitVec 32))) (_ BitVec 32))
(declare-var x (_ BitVec 32))
(declare-var y (_ BitVec 8))
(constraint (= (f x) (bvadd x y)))
(check-synth)
