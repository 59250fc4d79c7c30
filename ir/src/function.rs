//! Values, instructions, functions and modules: the IR data structures.
//!
//! A [`Function`] is straight-line SSA: typed parameters, a list of instructions each defining
//! one [`Value`], and a `ret`. Values are named by number (`v7`); the numbers only have to be
//! distinct, and each value must be defined before it is used. The structures are plain data;
//! [`crate::verify`] checks the invariants, [`FunctionBuilder`] builds valid functions.

use std::fmt;

use crate::{Opcode, Shape, Type};

/// An SSA value, spelled `vN` in the text format.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Value(pub u32);

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v{}", self.0)
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// A typed function parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Param {
    /// The value that names the parameter in the body.
    pub value: Value,
    /// Its type.
    pub ty: Type,
}

/// One instruction: `result = opcode[.ty] args...`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Inst {
    /// The value this instruction defines.
    pub result: Value,
    /// The operation.
    pub opcode: Opcode,
    /// The result type.
    pub ty: Type,
    /// Value operands (empty for `iconst`).
    pub args: Vec<Value>,
    /// The constant of an `iconst`, as masked bits; 0 for every other opcode.
    pub imm: u64,
}

/// A loop-free SSA function.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Function {
    /// The function's name.
    pub name: String,
    /// Parameters in order.
    pub params: Vec<Param>,
    /// The result type.
    pub ret_ty: Type,
    /// Instructions in definition order.
    pub body: Vec<Inst>,
    /// The returned value.
    pub ret: Value,
}

impl Function {
    /// The parameter types in order.
    pub fn param_types(&self) -> Vec<Type> {
        self.params.iter().map(|p| p.ty).collect()
    }

    /// The type of `value`, if the function defines it (as a parameter or an instruction).
    pub fn value_type(&self, value: Value) -> Option<Type> {
        self.params
            .iter()
            .find(|p| p.value == value)
            .map(|p| p.ty)
            .or_else(|| self.body.iter().find(|i| i.result == value).map(|i| i.ty))
    }

    /// Number of instructions that are not constants (the `size` cost of the function).
    pub fn op_count(&self) -> usize {
        self.body.iter().filter(|i| i.opcode != Opcode::Iconst).count()
    }

    /// The instructions the returned value depends on (dead code left out), in order.
    pub fn live_insts(&self) -> Vec<&Inst> {
        let mut live = std::collections::HashSet::new();
        live.insert(self.ret);
        let mut out: Vec<&Inst> = Vec::new();
        for inst in self.body.iter().rev() {
            if live.contains(&inst.result) {
                live.extend(inst.args.iter().copied());
                out.push(inst);
            }
        }
        out.reverse();
        out
    }

    /// A copy without dead instructions.
    pub fn without_dead_code(&self) -> Function {
        Function { body: self.live_insts().into_iter().cloned().collect(), ..self.clone() }
    }
}

/// Several functions, as in one IR text file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Module {
    /// The functions in file order; names are unique in a verified module.
    pub functions: Vec<Function>,
}

impl Module {
    /// The function named `name`.
    pub fn get(&self, name: &str) -> Option<&Function> {
        self.functions.iter().find(|f| f.name == name)
    }

    /// The names of all functions, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.functions.iter().map(|f| f.name.as_str())
    }
}

impl std::ops::Index<&str> for Module {
    type Output = Function;
    /// # Panics
    /// If there is no function of that name.
    fn index(&self, name: &str) -> &Function {
        self.get(name).unwrap_or_else(|| panic!("module has no function `{name}`"))
    }
}

/// Builds a function instruction by instruction, numbering values densely (`v0` = first parameter).
///
/// Result types are inferred from operands (the first operand, or the second for `select`);
/// [`FunctionBuilder::finish`] runs the verifier, so type errors surface there.
///
/// ```
/// use ir::{FunctionBuilder, Opcode, Type};
/// let mut b = FunctionBuilder::new("lowest_bit", &[Type::I32], Type::I32);
/// let x = b.param(0);
/// let neg = b.unary(Opcode::Neg, x);
/// let r = b.binary(Opcode::And, x, neg);
/// let f = b.finish(r).unwrap();
/// assert_eq!(ir::eval(&f, &[12]), 4);
/// ```
///
/// Every operation takes constant time (the types of values built so far are kept in a table
/// indexed by value number), so building a function of `n` instructions takes `O(n)`.
#[derive(Debug)]
pub struct FunctionBuilder {
    func: Function,
    next: u32,
    /// The type of value `vN` at index `N` (values are numbered densely from `v0`).
    types: Vec<Type>,
}

impl FunctionBuilder {
    /// Starts a function with parameters `v0..vN` of the given types.
    pub fn new(name: &str, params: &[Type], ret_ty: Type) -> Self {
        let params: Vec<Param> =
            params.iter().enumerate().map(|(i, &ty)| Param { value: Value(i as u32), ty }).collect();
        let next = params.len() as u32;
        let types = params.iter().map(|p| p.ty).collect();
        FunctionBuilder {
            func: Function { name: name.to_string(), params, ret_ty, body: Vec::new(), ret: Value(0) },
            next,
            types,
        }
    }

    /// Changes the declared result type.
    pub fn set_return_type(&mut self, ty: Type) {
        self.func.ret_ty = ty;
    }

    /// The value of parameter `index`.
    ///
    /// # Panics
    /// If there is no such parameter.
    pub fn param(&self, index: usize) -> Value {
        self.func.params[index].value
    }

    /// The type of a value defined so far (`i64` for an unknown value, which `finish` reports).
    pub fn type_of(&self, v: Value) -> Type {
        self.types.get(v.0 as usize).copied().unwrap_or(Type::I64)
    }

    fn push(&mut self, opcode: Opcode, ty: Type, args: Vec<Value>, imm: u64) -> Value {
        let result = Value(self.next);
        self.next += 1;
        self.types.push(ty);
        self.func.body.push(Inst { result, opcode, ty, args, imm });
        result
    }

    /// `iconst.ty bits` (the constant is masked to the type).
    pub fn iconst(&mut self, ty: Type, bits: u64) -> Value {
        self.push(Opcode::Iconst, ty, Vec::new(), ty.wrap(bits))
    }

    /// A unary operation (`neg not popcnt clz ctz`).
    pub fn unary(&mut self, op: Opcode, a: Value) -> Value {
        let ty = self.type_of(a);
        self.push(op, ty, vec![a], 0)
    }

    /// A binary operation or a comparison.
    pub fn binary(&mut self, op: Opcode, a: Value, b: Value) -> Value {
        let ty = if op.shape() == Shape::Compare { Type::I1 } else { self.type_of(a) };
        self.push(op, ty, vec![a, b], 0)
    }

    /// `select c, a, b`.
    pub fn select(&mut self, c: Value, a: Value, b: Value) -> Value {
        let ty = self.type_of(a);
        self.push(Opcode::Select, ty, vec![c, a, b], 0)
    }

    /// A width change (`zext sext trunc`) to `ty`.
    pub fn cast(&mut self, op: Opcode, ty: Type, a: Value) -> Value {
        self.push(op, ty, vec![a], 0)
    }

    /// Any instruction by opcode: `imm` is used by `iconst`, `ty` by `iconst` and casts.
    pub fn inst(&mut self, op: Opcode, ty: Type, args: &[Value], imm: u64) -> Value {
        match op.shape() {
            Shape::Const => self.iconst(ty, imm),
            Shape::Cast => self.cast(op, ty, args[0]),
            Shape::Select => self.select(args[0], args[1], args[2]),
            Shape::Unary => self.unary(op, args[0]),
            Shape::Binary | Shape::Compare => self.binary(op, args[0], args[1]),
        }
    }

    /// Ends the function returning `ret`, and verifies it.
    pub fn finish(mut self, ret: Value) -> Result<Function, crate::VerifyErrors> {
        self.func.ret = ret;
        crate::verify::verify_function(&self.func)?;
        Ok(self.func)
    }
}
