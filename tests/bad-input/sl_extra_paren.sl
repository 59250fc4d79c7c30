(set-logic BV)
(synth-fun f ((x (_ BitVec 8))) (_ BitVec 8)))
(check-synth)
