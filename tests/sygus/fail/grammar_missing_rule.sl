; A declared non-terminal without a rule.
(set-logic BV)
(synth-fun f ((x (_ BitVec 8))) (_ BitVec 8)
    ((Start (_ BitVec 8)) (B Bool))
    ((Start (_ BitVec 8) (x (ite B Start Start)))))
(check-synth)
