// Startup of ./grad4j jshell (after JShell's DEFAULT imports): the usual grad4j imports.
// Module and Function are imported by name: as wildcards they would be ambiguous with
// java.lang.Module and java.util.function.Function (DEFAULT imports java.util.function.*).
import org.grad4j.*;
import org.grad4j.storage.DType;
import static org.grad4j.Grad4j.*;
import org.grad4j.nn.*;
import org.grad4j.nn.Module;
import org.grad4j.nn.functional.F;
import org.grad4j.nn.init.*;
import org.grad4j.optim.*;
import org.grad4j.optim.lr.*;
import org.grad4j.autograd.*;
import org.grad4j.autograd.Function;
import org.grad4j.autograd.Node;
import org.grad4j.data.*;
import org.grad4j.io.*;
