; A Bool production in a bit-vector non-terminal.
(set-logic BV)
(synth-fun f ((x (_ BitVec 8))) (_ BitVec 8)
    ((Start (_ BitVec 8)))
    ((Start (_ BitVec 8) (x (bvadd Start Start) (bvult Start Start)))))
(check-synth)
