(set-logic BV)
(synth-fun f ((x (_ BitVec 18446744073709551616))) (_ BitVec 8))
(check-synth)
