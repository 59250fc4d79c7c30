; The start symbol must have the result sort.
(set-logic BV)
(synth-fun f ((x (_ BitVec 8))) (_ BitVec 8)
    ((Start Bool))
    ((Start Bool (true false))))
(check-synth)
