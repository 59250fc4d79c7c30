(set-logic BV)
(synth-fun f ((x (_ BitVec 8))) (_ BitVec 8)
(declare-var x (_ BitVec 8))
(constraint (= (f x) (bvadd x #x01