// SwiftNIO echo server (peer anchor).
// Usage: nio-echo PORT [THREADS]   (binds 127.0.0.1 only; THREADS defaults to 2)
// Same shape as NIO's own EchoServer example: write in channelRead,
// flush in channelReadComplete, close on error.
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

final class EchoHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.write(data, promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }
}

signal(SIGPIPE, SIG_IGN)

let args = CommandLine.arguments
let port = args.count > 1 ? Int(args[1]) ?? 9000 : 9000
let threads = args.count > 2 ? Int(args[2]) ?? 2 : 2

let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
let bootstrap = ServerBootstrap(group: group)
    .serverChannelOption(ChannelOptions.backlog, value: 4096)
    .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
    .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(EchoHandler())
        }
    }
    .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
    .childChannelOption(ChannelOptions.maxMessagesPerRead, value: 16)

let channel = try bootstrap.bind(host: "127.0.0.1", port: port).wait()
print("nio-echo listening on 127.0.0.1:\(port) threads=\(threads)")
fflush(stdout)
try channel.closeFuture.wait()
try group.syncShutdownGracefully()
