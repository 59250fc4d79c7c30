//! The verifier (type checker) for functions and modules.
//!
//! Checks, collecting every error rather than stopping at the first: values defined once,
//! defined before use, operand counts, operand and result types per opcode shape, width changes
//! that really widen (`zext sext`) or narrow (`trunc`), constants that fit their type, a `ret` of
//! the declared type, and unique function names in a module. An instruction whose operands are
//! undefined is not type-checked further, so one mistake gives one error.

use std::collections::HashMap;

use crate::{Function, Module, Opcode, Shape, Site, Type, Value, VerifyError, VerifyErrors};

/// Checks one function.
pub fn verify_function(f: &Function) -> Result<(), VerifyErrors> {
    let errors = function_errors(f);
    if errors.is_empty() { Ok(()) } else { Err(VerifyErrors(errors)) }
}

/// Checks every function of a module and that their names are unique.
pub fn verify_module(m: &Module) -> Result<(), VerifyErrors> {
    let mut errors = Vec::new();
    let mut seen = HashMap::new();
    for f in &m.functions {
        if seen.insert(f.name.as_str(), ()).is_some() {
            errors.push(VerifyError {
                function: f.name.clone(),
                site: Site::Signature,
                value: None,
                message: format!("function `{}` is defined more than once", f.name),
            });
        }
        errors.extend(function_errors(f));
    }
    if errors.is_empty() { Ok(()) } else { Err(VerifyErrors(errors)) }
}

/// All errors of one function, in body order.
pub(crate) fn function_errors(f: &Function) -> Vec<VerifyError> {
    let mut errors = Vec::new();
    let mut err = |site: Site, value: Option<Value>, message: String| {
        errors.push(VerifyError { function: f.name.clone(), site, value, message });
    };
    let mut types: HashMap<Value, Type> = HashMap::new();

    for (i, p) in f.params.iter().enumerate() {
        if types.insert(p.value, p.ty).is_some() {
            err(Site::Param(i), Some(p.value), format!("parameter {} is defined twice", p.value));
        }
    }

    for (index, inst) in f.body.iter().enumerate() {
        let site = |operand: Option<usize>| Site::Inst { index, operand };
        let op = inst.opcode;

        let mut operand_types = Vec::with_capacity(inst.args.len());
        let mut all_defined = true;
        for (k, a) in inst.args.iter().enumerate() {
            match types.get(a) {
                Some(&t) => operand_types.push(t),
                None => {
                    all_defined = false;
                    err(site(Some(k)), Some(*a), format!("use of undefined value {a}"));
                }
            }
        }

        if inst.args.len() != op.arity() {
            err(
                site(None),
                Some(inst.result),
                format!("`{op}` takes {} operand(s), found {}", op.arity(), inst.args.len()),
            );
        } else if let Some(message) =
            all_defined.then(|| type_error(inst.opcode, inst.ty, &operand_types, inst.imm)).flatten()
        {
            err(site(None), Some(inst.result), format!("{}: {message}", inst.result));
        }

        if types.insert(inst.result, inst.ty).is_some() {
            err(site(None), Some(inst.result), format!("value {} is defined more than once", inst.result));
        }
    }

    match types.get(&f.ret) {
        None => err(Site::Ret, Some(f.ret), format!("`ret` of undefined value {}", f.ret)),
        Some(&t) if t != f.ret_ty => {
            err(Site::Ret, Some(f.ret), format!("`ret {}` has type {t} but the function returns {}", f.ret, f.ret_ty))
        }
        Some(_) => {}
    }
    errors
}

/// The result type an opcode gives for the operand types, or why they do not fit.
///
/// `explicit` is the type written after the opcode (required for `iconst` and casts).
pub fn result_type(op: Opcode, explicit: Option<Type>, operands: &[Type]) -> Result<Type, String> {
    if operands.len() != op.arity() {
        return Err(format!("`{op}` takes {} operand(s), found {}", op.arity(), operands.len()));
    }
    let inferred = match op.shape() {
        Shape::Const | Shape::Cast => {
            return explicit.ok_or_else(|| format!("`{op}` needs a result type, as in `{op}.i32`"));
        }
        Shape::Unary | Shape::Binary => operands[0],
        Shape::Compare => Type::I1,
        Shape::Select => operands[1],
    };
    match explicit {
        Some(t) if t != inferred => Err(format!("`{op}.{t}` but the operands give type {inferred}")),
        _ => Ok(inferred),
    }
}

/// Why an instruction with these operand types does not type-check, if it does not.
pub(crate) fn type_error(op: Opcode, ty: Type, operands: &[Type], imm: u64) -> Option<String> {
    if op != Opcode::Iconst && imm != 0 {
        return Some(format!("`{op}` has an immediate {imm}; only `iconst` takes one"));
    }
    match op.shape() {
        Shape::Const => (imm != ty.wrap(imm)).then(|| format!("constant {imm:#x} does not fit in {ty}")),
        Shape::Unary => (operands[0] != ty).then(|| format!("`{op}` of a {} value cannot have type {ty}", operands[0])),
        Shape::Binary => {
            if operands[0] != operands[1] {
                Some(format!("`{op}` operands have different types {} and {}", operands[0], operands[1]))
            } else {
                (operands[0] != ty).then(|| format!("`{op}` of {} operands cannot have type {ty}", operands[0]))
            }
        }
        Shape::Compare => {
            if operands[0] != operands[1] {
                Some(format!("`{op}` operands have different types {} and {}", operands[0], operands[1]))
            } else {
                (ty != Type::I1).then(|| format!("comparison `{op}` must have type i1, not {ty}"))
            }
        }
        Shape::Select => {
            if operands[0] != Type::I1 {
                Some(format!("`select` condition must be i1, not {}", operands[0]))
            } else if operands[1] != operands[2] {
                Some(format!("`select` arms have different types {} and {}", operands[1], operands[2]))
            } else {
                (operands[1] != ty).then(|| format!("`select` of {} arms cannot have type {ty}", operands[1]))
            }
        }
        Shape::Cast => {
            let (from, to) = (operands[0].width(), ty.width());
            match op {
                Opcode::Zext | Opcode::Sext if to <= from => {
                    Some(format!("`{op}.{ty}` must widen, but its operand is {}", operands[0]))
                }
                Opcode::Trunc if to >= from => {
                    Some(format!("`trunc.{ty}` must narrow, but its operand is {}", operands[0]))
                }
                _ => None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Inst, Param};

    fn func(body: Vec<Inst>, ret: u32) -> Function {
        Function {
            name: "f".into(),
            params: vec![Param { value: Value(0), ty: Type::I32 }, Param { value: Value(1), ty: Type::I8 }],
            ret_ty: Type::I32,
            body,
            ret: Value(ret),
        }
    }

    fn inst(result: u32, opcode: Opcode, ty: Type, args: &[u32]) -> Inst {
        Inst { result: Value(result), opcode, ty, args: args.iter().map(|&a| Value(a)).collect(), imm: 0 }
    }

    fn messages(f: &Function) -> Vec<String> {
        function_errors(f).into_iter().map(|e| e.message).collect()
    }

    #[test]
    fn accepts_valid() {
        let f = func(vec![inst(2, Opcode::Add, Type::I32, &[0, 0])], 2);
        assert!(verify_function(&f).is_ok());
    }

    #[test]
    fn reports_each_kind_of_error() {
        let f = func(vec![inst(2, Opcode::Add, Type::I32, &[0, 9])], 2);
        assert_eq!(messages(&f), ["use of undefined value v9"]);
        let f = func(vec![inst(0, Opcode::Neg, Type::I32, &[0])], 0);
        assert_eq!(messages(&f), ["value v0 is defined more than once"]);
        let f = func(vec![inst(2, Opcode::Add, Type::I32, &[0, 1])], 2);
        assert_eq!(messages(&f), ["v2: `add` operands have different types i32 and i8"]);
        let f = func(vec![inst(2, Opcode::Add, Type::I32, &[0])], 2);
        assert_eq!(messages(&f), ["`add` takes 2 operand(s), found 1"]);
        let f = func(vec![inst(2, Opcode::Zext, Type::I8, &[0])], 0);
        assert_eq!(messages(&f), ["v2: `zext.i8` must widen, but its operand is i32"]);
        let f = func(vec![inst(2, Opcode::Trunc, Type::I32, &[1])], 0);
        assert_eq!(messages(&f), ["v2: `trunc.i32` must narrow, but its operand is i8"]);
        let f = func(vec![], 1);
        assert_eq!(messages(&f), ["`ret v1` has type i8 but the function returns i32"]);
        let f = func(vec![inst(2, Opcode::Select, Type::I32, &[0, 0, 0])], 2);
        assert_eq!(messages(&f), ["v2: `select` condition must be i1, not i32"]);
    }
}
