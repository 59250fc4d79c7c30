; Bit-vectors wider than 64 bits are not supported.
(set-logic BV)
(synth-fun f ((x (_ BitVec 128))) (_ BitVec 128))
(check-synth)
